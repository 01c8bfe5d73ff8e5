package dev.mtlsprobe.app;

import dev.mtlsprobe.check.CheckOptions;
import dev.mtlsprobe.check.CheckResult;
import dev.mtlsprobe.check.CheckRun;
import dev.mtlsprobe.check.Reports;
import dev.mtlsprobe.check.TextReport;
import dev.mtlsprobe.check.UsageException;
import dev.mtlsprobe.config.InvalidConfigException;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.role.SidecarReadiness;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The check's composition: the service's settings, lanes, probers and verdict rules, run once. No probe loop, no
 * HTTP server ({@link Main} turns both ports off), no Kubernetes API: the role comes from the downward-API files or
 * the configuration. Returns the exit code; nothing here depends on what was logged.
 */
@Singleton
@Unremovable
public class CheckCommand implements QuarkusApplication {

    private final Provider<Settings> settings;
    private final Lanes lanes;
    private final SidecarReadiness sidecar;

    public CheckCommand(Provider<Settings> settings, Lanes lanes, SidecarReadiness sidecar) {
        this.settings = settings;
        this.lanes = lanes;
        this.sidecar = sidecar;
    }

    @Override
    public int run(String... args) {
        CheckOptions options = CheckOptions.parse(Main.checkArgs(args)); // valid: Main parsed them before the start
        try {
            Settings all = settings.get();
            ProbeSettings s = selected(all.probe(), options);
            Optional<List<Lane>> simulated = lanes.simulated(all);
            Optional<RoleState> role = Optional.empty();
            List<Lane> run;
            if (simulated.isPresent()) {
                run = simulated.get();
            } else {
                RoleState detected = lanes.detect(s, Optional::empty);
                role = Optional.of(detected);
                run = List.of(lanes.own(s, detected));
                if (detected.role() == Role.SIDECAR && !options.sidecarWait().isZero()) {
                    sidecar.awaitReady(options.sidecarWait());
                }
            }
            CheckResult result = CheckRun.run(run, s.targets(), options.attempts(), s.timeout(), role);
            return write(options, result) ? result.exitCode() : CheckResult.EXIT_FAIL;
        } catch (RuntimeException e) {
            Optional<String> line = oneLine(e);
            if (line.isEmpty()) {
                throw e;
            }
            System.err.println(line.get());
            return CheckResult.EXIT_FAIL;
        }
    }

    /** The configured targets, or with {@code --target} only those named there. */
    static ProbeSettings selected(ProbeSettings s, CheckOptions options) {
        if (options.targets().isEmpty()) {
            return s;
        }
        Map<String, TargetSpec> byName = s.targets().stream().collect(Collectors.toMap(TargetSpec::name, t -> t));
        List<TargetSpec> chosen = new ArrayList<>();
        for (String name : options.targets().keySet()) {
            TargetSpec t = byName.get(name);
            if (t == null) {
                throw new UsageException("--target", name, "no target of that name is configured; configured: "
                        + String.join(", ", byName.keySet()));
            }
            chosen.add(t);
        }
        return new ProbeSettings(s.interval(), s.timeout(), s.role(), chosen, s.annotationsFile(), s.labelsFile(),
                s.sidecarReady(), s.maxConcurrentAttempts());
    }

    /** Prints the report; with {@code --output} writes it there and prints the text report. */
    private static boolean write(CheckOptions options, CheckResult result) {
        String report = Reports.render(options.format(), result);
        if (options.output().isEmpty()) {
            System.out.print(report);
            System.out.flush();
            return true;
        }
        System.out.print(TextReport.render(result));
        System.out.flush();
        try {
            Files.writeString(options.output().get(), report, StandardCharsets.UTF_8);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("mtls-probe check: the report could not be written to --output "
                    + InvalidConfigException.visible(options.output().get().toString()) + ": "
                    + InvalidConfigException.visible(String.valueOf(e.getMessage())));
            return false;
        }
    }

    /** The line of a configuration or usage error, wherever the bean container wrapped it. */
    private static Optional<String> oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException || t instanceof UsageException) {
                return Optional.of(t.getMessage());
            }
        }
        return Optional.empty();
    }
}
