package dev.mtlsprobe.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Target host to Service, the way cluster DNS reads a name from inside the probe's namespace. */
class ServiceRefTest {

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
        "httpbin-svc, httpbin-svc, mtls-probe",
        "httpbin-svc.team-app, httpbin-svc, team-app",
        "httpbin-svc.team-app.svc, httpbin-svc, team-app",
        "httpbin-svc.team-app.svc.cluster.local, httpbin-svc, team-app",
        "httpbin-svc.team-app.svc.cluster.local., httpbin-svc, team-app",
        "HTTPBIN-SVC.Team-App, httpbin-svc, team-app"})
    void namesAService(String host, String name, String namespace) {
        ServiceRef.Parsed p = ServiceRef.parse(host, "mtls-probe", "cluster.local");
        assertTrue(p.found(), p.problem());
        assertEquals(new ServiceRef(name, namespace), p.service());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "10.96.0.12, is an address",
        "::1, is an address",
        "httpbin.team-app.svc.other.domain, is not a Service name",
        "a.b.c, is not a Service name",
        "www.example.com.au, is not a Service name",
        "1bad.team-app, is not a valid Service name"})
    void isNotAService(String host, String why) {
        ServiceRef.Parsed p = ServiceRef.parse(host, "mtls-probe", "cluster.local");
        assertFalse(p.found());
        assertTrue(p.problem().contains(host) && p.problem().contains(why), p.problem());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"httpbin-svc.team-app.svc.corp.example, true", "httpbin-svc.team-app.svc.cluster.local, false"})
    void followsTheConfiguredClusterDomain(String host, boolean found) {
        assertEquals(found, ServiceRef.parse(host, "mtls-probe", "corp.example").found());
    }
}
