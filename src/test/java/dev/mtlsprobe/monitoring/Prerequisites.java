package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Finds the real Prometheus/Alertmanager binaries; outside CI a missing one skips, under CI=true it fails. */
final class Prerequisites {

    private Prerequisites() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable {@code name} from PATH or /usr/bin, or a skip (a failure under CI) naming the package. */
    static Path tool(String name, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + ":/usr/bin:/usr/local/bin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        missing(name + " not found: install it with apt-get install -y --no-install-recommends " + debianPackage);
        throw new IllegalStateException("unreachable");
    }

    static Path file(Path file, String fix) {
        if (!Files.isRegularFile(file)) {
            missing(file + " not found: " + fix);
        }
        return file;
    }

    static void missing(String line) {
        if (ci()) {
            fail(line);
        }
        Assumptions.abort(line);
    }
}
