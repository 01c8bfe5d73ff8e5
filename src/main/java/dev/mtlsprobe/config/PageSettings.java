package dev.mtlsprobe.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The page at {@code /}.
 *
 * @param runbookUrlPattern where a failing cell links to: {@code %s} is the alert's name. The default is the
 *                          monitoring mixin's {@code runbookURLPattern}, so that the page and the alerts link to
 *                          the same runbooks ({@code mtls-probe.page.runbook-url-pattern})
 */
public record PageSettings(String runbookUrlPattern) {

    public static final String DEFAULT_RUNBOOKS =
            "https://github.com/mtls-probe/mtls-probe/blob/main/docs/runbooks/%s.md";

    static PageSettings read(ConfigReader reader) {
        ConfigReader.Read r = reader.read("mtls-probe.page.runbook-url-pattern")
                .orElse(new ConfigReader.Read("mtls-probe.page.runbook-url-pattern", DEFAULT_RUNBOOKS));
        String fix = "use an http(s) URL with one %s for the alert name, e.g. " + DEFAULT_RUNBOOKS;
        int at = r.value().indexOf("%s");
        if (at < 0 || r.value().indexOf("%s", at + 2) >= 0) {
            throw new InvalidConfigException(r.key(), r.value(), "needs exactly one %s; " + fix);
        }
        URI uri;
        try {
            uri = new URI(r.value().replace("%s", "MtlsProbeDown")); // other % must be valid escapes
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(r.key(), r.value(), "not a URL; " + fix);
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw new InvalidConfigException(r.key(), r.value(), "not an http(s) URL without user-info; " + fix);
        }
        return new PageSettings(r.value());
    }

    /** The runbook of one alert. */
    public String runbook(String alert) {
        return runbookUrlPattern.replace("%s", alert);
    }
}
