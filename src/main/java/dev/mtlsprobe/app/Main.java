package dev.mtlsprobe.app;

import dev.mtlsprobe.check.CheckOptions;
import dev.mtlsprobe.check.CheckResult;
import dev.mtlsprobe.check.UsageException;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point: without arguments the service (the probe loop, the HTTP server, the Kubernetes watches); with
 * {@code check} the one-shot check ({@link CheckCommand}). Decided before Quarkus starts, because a check must not
 * open the service's ports: run next to the service in its pod, it would fail on them, or take them.
 */
@QuarkusMain
public final class Main {

    private static volatile boolean checking;

    private Main() {
    }

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        if (args[0].equals("check")) {
            check(args);
            return;
        }
        if (List.of("--help", "-h", "help").contains(args[0])) {
            System.out.print("Usage: java -jar quarkus-run.jar            the service\n"
                    + "       java -jar quarkus-run.jar check ...  a one-shot check (check --help)\n");
            System.exit(0);
        }
        fail(new UsageException(args[0], null, "not a command; run without arguments for the service, or "
                + "\"check\" for a one-shot check (check --help)"));
    }

    /** True in a check process: the service's start ({@link ProbeApp}) stands aside. */
    static boolean checking() {
        return checking;
    }

    /** The arguments after {@code check}. */
    static List<String> checkArgs(String... args) {
        return Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    }

    private static void check(String[] args) {
        CheckOptions options;
        try {
            options = CheckOptions.parse(checkArgs(args));
        } catch (UsageException e) {
            fail(e);
            return;
        }
        if (options.help()) {
            System.out.print(CheckOptions.USAGE);
            System.exit(0);
        }
        checking = true;
        // No listening socket at all: neither the application port nor the management port.
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.management.host-enabled", "false");
        // The report is stdout; the log goes to stderr, warnings only unless the user asks for more.
        System.setProperty("quarkus.log.console.stderr", "true");
        if (System.getProperty("quarkus.log.level") == null && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            System.setProperty("quarkus.log.level", "WARN");
        }
        // --role and --target NAME=URL are configuration: system properties, above the environment and the files.
        options.properties().forEach(System::setProperty);
        Quarkus.run(CheckCommand.class, args);
    }

    private static void fail(UsageException e) {
        System.err.println(e.getMessage());
        System.exit(CheckResult.EXIT_FAIL);
    }
}
