package dev.mtlsprobe.model;

import java.util.Optional;

/**
 * One validated target: where to connect and what to ask for.
 *
 * @param name               the {@code target} label value, from config only
 * @param url                the URL as configured
 * @param https              whether the probe itself speaks TLS to the target
 * @param host               host name or address literal (without brackets)
 * @param port               TCP port, explicit or the scheme's default
 * @param requestTarget      path and query sent on the request line
 * @param echo               whether the target echoes request headers (httpbin {@code /headers}): only then can
 *                           the probe see mTLS, and a sidecar attempt passes only on a complete echo
 * @param expectedServerId   SPIFFE ID the server side must present, if declared
 * @param expectedClientId   SPIFFE ID the client side must present, if declared
 * @param protocol           HTTP (a GET, classified from the response) or TCP (a plaintext greeting, classified
 *                           from what the peer does with it: {@code tcp://host:port}, never echoing)
 */
public record TargetSpec(String name, String url, boolean https, String host, int port, String requestTarget,
        boolean echo, Optional<String> expectedServerId, Optional<String> expectedClientId, Protocol protocol) {

    /** An HTTP target. */
    public TargetSpec(String name, String url, boolean https, String host, int port, String requestTarget,
            boolean echo, Optional<String> expectedServerId, Optional<String> expectedClientId) {
        this(name, url, https, host, port, requestTarget, echo, expectedServerId, expectedClientId, Protocol.HTTP);
    }

    /** A TCP-level target, {@code tcp://host:port}. */
    public static TargetSpec tcp(String name, String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return new TargetSpec(name, "tcp://" + h + ":" + port, false, host, port, "/", false, Optional.empty(),
                Optional.empty(), Protocol.TCP);
    }

    /** The Host header value: the port is omitted when it is the scheme's default. */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        int defaultPort = https ? 443 : 80;
        return port == defaultPort ? h : h + ":" + port;
    }
}
