package dev.mtlsprobe.config;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * Every setting of mtls-probe, read and validated once at startup: the first bad value stops the start with one
 * line naming the key, the value and the fix. Nothing is read from the configuration after this.
 */
public record Settings(ProbeSettings probe, KubeSettings kubernetes, DemoSettings demo, PeerSettings peer,
        PageSettings page, SweepSettings sweep) {

    public static Settings read(Config raw) {
        List<String> names = new ArrayList<>();
        raw.getPropertyNames().forEach(names::add); // once: SmallRye's name view cannot be iterated twice
        KnownKeys.check(names);
        ConfigReader reader = new ConfigReader(raw);
        return new Settings(ProbeSettings.read(reader, raw, names), KubeSettings.read(reader),
                DemoSettings.read(reader), PeerSettings.read(reader), PageSettings.read(reader),
                SweepSettings.read(reader));
    }
}
