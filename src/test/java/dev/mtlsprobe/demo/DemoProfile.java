package dev.mtlsprobe.demo;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The demo mesh with short intervals, as the README's run command starts it (plus a hostile target). */
public class DemoProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mtls-probe.demo.enabled", "true",
                "mtls-probe.interval", "400ms",
                "mtls-probe.timeout", "300ms",
                "mtls-probe.targets.httpbin.url", "http://httpbin.demo:8000/headers",
                "mtls-probe.targets.httpbin.expected-server-id", DemoMesh.SERVER_ID,
                "mtls-probe.targets.httpbin.expected-client-id", DemoMesh.CLIENT_ID);
    }
}
