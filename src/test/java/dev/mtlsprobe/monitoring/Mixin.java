package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitoring mixin under src/mixin, rendered with Debian's jsonnet exactly as src/mixin/generate.sh does, or
 * with {@code _config} overrides (a jsonnet object, e.g. {@code { staleIntervals: 4 }}) as a user would.
 */
final class Mixin {

    static final String DEFAULTS = "{}";

    private Mixin() {
    }

    static Path jsonnet() {
        return Prerequisites.tool("jsonnet", "jsonnet");
    }

    /** generate.sh with {@code out} as the repository root it writes into. */
    static Exec.Result generate(Path out) throws IOException, InterruptedException {
        jsonnet();
        return Exec.run(MonitoringFiles.ROOT, List.of("bash", MonitoringFiles.MIXIN.resolve("generate.sh").toString(),
                out.toString()));
    }

    /** Both rule files into {@code dir}; returns the plain one (mtls-probe.rules.yaml). */
    static Path rules(Path dir, String config) throws IOException, InterruptedException {
        run(dir, "rules.jsonnet", config, true);
        return dir.resolve("mtls-probe.rules.yaml");
    }

    /** Every dashboard into {@code dir}, one JSON file each. */
    static List<Path> dashboards(Path dir, String config) throws IOException, InterruptedException {
        run(dir, "dashboards.jsonnet", config, false);
        List<Path> files = new ArrayList<>();
        try (var s = java.nio.file.Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        return files;
    }

    /** The plain rule file's groups, parsed. */
    static JsonNode groups(Path rules) throws IOException {
        return MonitoringFiles.YAML.readTree(rules.toFile()).path("groups");
    }

    /** jsonnet [-S] -m DIR --tla-code config=CONFIG src/mixin/build/BUILD; fails with jsonnet's output. */
    static Exec.Result run(Path dir, String build, String config, boolean strings) throws IOException,
            InterruptedException {
        Exec.Result r = tryRun(dir, build, config, strings);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("jsonnet " + build + " with " + config + " failed:\n" + r.output());
        }
        return r;
    }

    static Exec.Result tryRun(Path dir, String build, String config, boolean strings) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jsonnet().toString()));
        if (strings) {
            cmd.add("-S");
        }
        cmd.addAll(List.of("-m", dir.toString(), "--tla-code", "config=" + config,
                MonitoringFiles.MIXIN.resolve("build").resolve(build).toString()));
        return Exec.run(dir, cmd);
    }
}
