package dev.mtlsprobe.config;

import dev.mtlsprobe.model.TargetSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The URL of a target with {@code protocol=tcp}: exactly {@code tcp://host:port}, nothing the check would not use. */
final class TcpTargetUrl {

    private static final String EXAMPLE = "use e.g. tcp://postgres:5432";

    private TcpTargetUrl() {
    }

    static TargetSpec parse(String key, String name, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key, url, "not a URL; " + EXAMPLE);
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidConfigException(key, url.replace(uri.getRawUserInfo() + "@", "***@"),
                    "a URL with user-info is refused: a TCP check sends no credentials; remove the "
                            + "user:password@ part");
        }
        if (!"tcp".equals(uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new InvalidConfigException(key, url, "protocol tcp checks a host and port; " + EXAMPLE);
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidConfigException(key, url, "the URL has no host; " + EXAMPLE);
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new InvalidConfigException(key, url, "a tcp:// URL needs a port in 1-65535 (there is no default); "
                    + EXAMPLE);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new InvalidConfigException(key, url, "a TCP check has no path, query or fragment; " + EXAMPLE);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return TargetSpec.tcp(name, host, uri.getPort());
    }
}
