package dev.mtlsprobe.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Host name to address, the way the pod's own tools (curl, getaddrinfo) resolve it. */
@FunctionalInterface
public interface Resolver {

    InetAddress resolve(String host) throws UnknownHostException;

    /**
     * The system resolver, except that names under {@code .invalid} fail at once without a query, as
     * RFC 6761 asks of resolver libraries.
     */
    Resolver SYSTEM = host -> {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("invalid") || h.endsWith(".invalid") || h.endsWith(".invalid.")) {
            throw new UnknownHostException(host + ": reserved name (RFC 6761)");
        }
        return InetAddress.getByName(host);
    };
}
