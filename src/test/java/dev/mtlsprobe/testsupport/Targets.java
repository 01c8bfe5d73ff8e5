package dev.mtlsprobe.testsupport;

import dev.mtlsprobe.model.TargetSpec;
import java.util.Optional;

/** Target specs for tests, built the way the configuration builds them. */
public final class Targets {

    private Targets() {
    }

    public static TargetSpec http(String name, String host, int port, String path) {
        return new TargetSpec(name, "http://" + host + ":" + port + path, false, host, port, path,
                path.equals("/headers"), Optional.empty(), Optional.empty());
    }

    /** A target declared not to echo request headers ({@code echo=false}). */
    public static TargetSpec nonEcho(String name, int port) {
        return new TargetSpec(name, "http://127.0.0.1:" + port + "/", false, "127.0.0.1", port, "/", false,
                Optional.empty(), Optional.empty());
    }

    public static TargetSpec local(String name, int port) {
        return http(name, "127.0.0.1", port, "/headers");
    }
}
