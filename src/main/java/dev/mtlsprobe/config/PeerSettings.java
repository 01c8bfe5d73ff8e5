package dev.mtlsprobe.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The other probe of the pair, whose compact status this one fetches so that its page shows both roles.
 *
 * @param enabled whether to fetch it at all ({@code mtls-probe.peer.enabled})
 * @param url     the peer's status URL ({@code mtls-probe.peer.url}); empty means the default, decided at start
 *                from the role: in a pod the Service the manifests create for the other role, outside one none
 * @param timeout the whole fetch: connect, request and every byte of the answer ({@code mtls-probe.peer.timeout})
 */
public record PeerSettings(boolean enabled, Optional<URI> url, Duration timeout) {

    private static final String P = "mtls-probe.peer.";

    static PeerSettings read(ConfigReader reader) {
        Duration timeout = reader.bounded(P + "timeout", "1s", Duration.ofMillis(100),
                "even loopback answers are not reliably that fast", Duration.ofSeconds(10),
                "the page would wait that long to learn the peer is gone");
        return new PeerSettings(reader.bool(P + "enabled", true), reader.read(P + "url").map(PeerSettings::url),
                timeout);
    }

    private static URI url(ConfigReader.Read r) {
        String fix = "use the peer's status URL, e.g. http://mtls-probe-sidecar:9000/q/status";
        URI uri;
        try {
            uri = new URI(r.value());
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(r.key(), r.value(), "not a URL; " + fix);
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidConfigException(r.key(), r.value().replace(uri.getRawUserInfo() + "@", "***@"),
                    "a URL with user-info is refused (the page would show it); remove the user:password@ part");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidConfigException(r.key(), r.value(), "needs http or https and a host; " + fix);
        }
        if (uri.getRawFragment() != null) {
            throw new InvalidConfigException(r.key(), r.value(), "a fragment is never sent; remove the #... part");
        }
        return uri;
    }
}
