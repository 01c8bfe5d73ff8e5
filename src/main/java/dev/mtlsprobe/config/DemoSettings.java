package dev.mtlsprobe.config;

import java.util.Locale;

/**
 * The embedded demo mesh (dev and test builds only).
 *
 * @param enabled whether {@code mtls-probe.demo.enabled} asks for it
 * @param policy  its initial PeerAuthentication mode, {@code STRICT} or {@code PERMISSIVE}
 */
public record DemoSettings(boolean enabled, String policy) {

    static DemoSettings read(ConfigReader reader) {
        ConfigReader.Read r = reader.read("mtls-probe.demo.policy")
                .orElse(new ConfigReader.Read("mtls-probe.demo.policy", "STRICT"));
        String policy = r.value().toUpperCase(Locale.ROOT);
        if (!policy.equals("STRICT") && !policy.equals("PERMISSIVE")) {
            throw new InvalidConfigException(r.key(), r.value(), "use STRICT or PERMISSIVE");
        }
        return new DemoSettings(reader.bool("mtls-probe.demo.enabled", false), policy);
    }
}
