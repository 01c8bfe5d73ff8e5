package dev.mtlsprobe.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for what a test needs from the machine (a tool, a file, root): outside CI a missing one skips
 * the test with one line saying how to get it; under {@code CI=true} (any case) it fails, so CI never passes by
 * skipping.
 */
public final class Prerequisites {

    private static final java.util.Set<String> REPORTED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Prerequisites() {
    }

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The executable {@code name} from PATH or /usr/bin, or a skip (a failure under CI) naming the package. */
    public static Path tool(String name, String debianPackage) {
        return tool(name, debianPackage, "install it with apt-get install -y --no-install-recommends " + debianPackage);
    }

    /** The executable {@code name} from PATH or /usr/bin, or a skip (a failure under CI) saying how to get it. */
    public static Path tool(String name, String debianPackage, String how) {
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
        missing(name + " not found: " + how);
        throw new IllegalStateException("unreachable");
    }

    public static Path file(Path file, String fix) {
        if (!Files.isRegularFile(file)) {
            missing(file + " not found: " + fix);
        }
        return file;
    }

    public static void missing(String line) {
        if (ci()) {
            fail(line);
        }
        if (REPORTED.add(line)) {
            System.err.println("SKIPPED: " + line); // surefire does not print assumption messages
        }
        Assumptions.abort(line);
    }
}
