package dev.mtlsprobe.monitoring;

import dev.mtlsprobe.testsupport.ManagedProcess;
import dev.mtlsprobe.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Starts a server process on a free port and waits for its readiness URL, retrying if the port was taken. */
final class Servers {

    record Started(ManagedProcess process, int port) {
    }

    /** What to run for a given port: command line and extra environment. */
    record Launch(List<String> command, Map<String, String> env) {
        static Launch of(String... command) {
            return new Launch(List.of(command), Map.of());
        }
    }

    private Servers() {
    }

    static Started start(String name, IntFunction<Launch> launch, String readyPath, Path dir, Duration timeout)
            throws IOException, InterruptedException {
        String lastLog = "";
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = Ports.free();
            Launch l = launch.apply(port);
            ManagedProcess p = ManagedProcess.start(name, l.command(), l.env(),
                    dir.resolve(name + "-" + attempt + ".log"));
            String ready = LocalHttp.base(port) + readyPath;
            LocalHttp.await(timeout, () -> !p.alive() || statusOk(ready));
            if (p.alive() && statusOk(ready)) {
                return new Started(p, port);
            }
            lastLog = p.logTail();
            p.close();
            if (!lastLog.contains("address already in use")) {
                break; // not a port race: retrying will not help
            }
        }
        throw new IllegalStateException(name + " did not become ready at " + readyPath + "\n" + lastLog);
    }

    private static boolean statusOk(String url) {
        try {
            return LocalHttp.status(url) == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
