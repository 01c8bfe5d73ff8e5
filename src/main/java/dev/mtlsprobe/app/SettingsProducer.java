package dev.mtlsprobe.app;

import dev.mtlsprobe.config.Settings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/** The configuration phase: every setting read and validated once, at start (a bad one ends the start). */
@Singleton
public class SettingsProducer {

    @Produces
    @Singleton
    Settings settings(Config raw) {
        return Settings.read(raw);
    }
}
