package dev.mtlsprobe.check;

import static dev.mtlsprobe.check.Attempts.lane;
import static dev.mtlsprobe.model.Outcome.MTLS;
import static dev.mtlsprobe.model.Outcome.PLAINTEXT;
import static dev.mtlsprobe.model.Outcome.RESET;
import static dev.mtlsprobe.model.Outcome.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.testsupport.Targets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The three formats of one result: what each says, and that hostile text cannot break the document it is in. */
class ReportsTest {

    static final TargetSpec HTTPBIN = Targets.local("httpbin", 8080);
    static final TargetSpec ORDERS = Targets.local("orders", 9090);
    static final TargetSpec SLOW = Targets.local("slow", 7070);
    static final RoleState NAKED = new RoleState(Role.NAKED, "downward-api", Role.NAKED, "label", "");
    /** What a hostile peer or a careless config could put into a reason or URL. */
    static final String HOSTILE = "]]></failure><x a=\"1\"/>&amp; <!-- \u0001\u001b[31m \uFFFE \uD800 \u2028 \"q\" 'a' \uD83D\uDE00";

    final CheckResult mixed = CheckResultTest.result(Optional.of(NAKED), lane(Role.NAKED, HTTPBIN, RESET, RESET, RESET),
            lane(Role.NAKED, ORDERS, RESET, PLAINTEXT, RESET), lane(Role.NAKED, SLOW, RESET, TIMEOUT, RESET));

    @Test
    void textIsOneAlignedLinePerLaneThenTheSummary() {
        List<String> lines = TextReport.render(mixed).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("PASS          naked  httpbin  reset 3/3"), lines.get(0));
        assertTrue(lines.get(1).startsWith("FAIL          naked  orders   plaintext 1/3, reset 2/3"), lines.get(1));
        assertTrue(lines.get(1).endsWith("http://127.0.0.1:9090/headers: observed plaintext; plaintext from a pod "
                + "without a sidecar was accepted"), "the deciding attempt's reason with the verdict's note: " + lines.get(1));
        assertTrue(lines.get(2).startsWith("INCONCLUSIVE  naked  slow     reset 2/3, timeout 1/3"), lines.get(2));
        assertTrue(lines.get(3).startsWith("mtls-probe check: FAIL (exit 1): 3 lane(s): 1 pass, 1 fail, 1 inconclusive; "
                + "3 attempt(s) each; role naked (detected from downward-api), as intended; 0.1s"), lines.get(3));
    }

    @Test
    void textNamesARoleMismatchOnALineOfItsOwn() {
        RoleState mismatch = new RoleState(Role.SIDECAR, "downward-api", Role.NAKED, "label", "the pod got a sidecar");
        String text = TextReport.render(CheckResultTest.result(Optional.of(mismatch), lane(Role.SIDECAR, HTTPBIN, MTLS)));
        assertTrue(text.contains("\nFAIL  role: role sidecar (detected from downward-api) but intended naked (from label)"
                + ": the pod got a sidecar\n"), text);
        assertTrue(text.contains("mtls-probe check: FAIL (exit 1)"), text);
    }

    @Test
    void jsonCarriesTheVerdictTheExitCodeAndEveryAttempt() throws Exception {
        JsonNode j = new ObjectMapper().readTree(JsonReport.render(mixed));
        assertEquals("fail", j.get("verdict").asText());
        assertEquals(1, j.get("exitCode").asInt());
        assertEquals(3, j.get("attemptsPerLane").asInt());
        assertEquals("naked", j.get("role").asText());
        assertFalse(j.get("roleMismatch").asBoolean());
        assertEquals(1, j.at("/counts/pass").asInt());
        assertEquals(1, j.at("/counts/fail").asInt());
        assertEquals(1, j.at("/counts/inconclusive").asInt());
        JsonNode orders = j.at("/lanes/1");
        assertEquals("orders", orders.get("target").asText());
        assertEquals("fail", orders.get("verdict").asText());
        assertEquals(2, orders.at("/outcomes/reset").asInt());
        assertEquals(1, orders.at("/outcomes/plaintext").asInt());
        assertEquals(3, orders.get("attempts").size());
        assertEquals("plaintext", orders.at("/attempts/1/outcome").asText());
        assertEquals("fail", orders.at("/attempts/1/verdict").asText());
        assertEquals(200, orders.at("/attempts/1/httpStatus").asInt());
        assertTrue(orders.at("/attempts/0/clientId").isNull());
    }

    @Test
    void jsonShowsTheIdentitiesOfAnMtlsAttempt() throws Exception {
        RoleState sidecar = new RoleState(Role.SIDECAR, "downward-api", Role.SIDECAR, "detected", "");
        JsonNode j = new ObjectMapper().readTree(JsonReport.render(CheckResultTest.result(Optional.of(sidecar),
                lane(Role.SIDECAR, HTTPBIN, MTLS))));
        assertEquals("pass", j.get("verdict").asText());
        assertEquals(Attempts.IDS.clientId(), j.at("/lanes/0/attempts/0/clientId").asText());
        assertEquals(Attempts.IDS.serverId(), j.at("/lanes/0/attempts/0/serverId").asText());
    }

    @Test
    void junitHasASuitePerRoleACasePerTargetAFailureForAFailAndSkippedForInconclusive() throws Exception {
        RoleState sidecar = new RoleState(Role.SIDECAR, "downward-api", Role.SIDECAR, "detected", "");
        CheckResult r = CheckResultTest.result(Optional.of(sidecar), lane(Role.SIDECAR, HTTPBIN, MTLS, MTLS),
                lane(Role.SIDECAR, ORDERS, MTLS, PLAINTEXT), lane(Role.NAKED, SLOW, TIMEOUT));
        Document d = JunitXml.parse(JunitReport.render(r));
        Element root = d.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        List<Element> suites = JunitXml.children(root, "testsuite");
        assertEquals(List.of("mtls-probe check: sidecar", "mtls-probe check: naked"),
                suites.stream().map(s -> s.getAttribute("name")).toList());
        List<Element> cases = JunitXml.testcases(d);
        assertEquals(List.of("httpbin", "orders", "slow"), cases.stream().map(c -> c.getAttribute("name")).toList());
        assertEquals("mtls-probe.sidecar", cases.get(0).getAttribute("classname"));
        assertTrue(JunitXml.children(cases.get(0), "failure").isEmpty());
        Element failure = JunitXml.children(cases.get(1), "failure").get(0);
        assertEquals("plaintext", failure.getAttribute("type"));
        assertTrue(failure.getAttribute("message").startsWith("mtls 1/2, plaintext 1/2: observed plaintext"),
                failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("attempt 2: plaintext, fail"), failure.getTextContent());
        Element skipped = JunitXml.children(cases.get(2), "skipped").get(0);
        assertTrue(skipped.getAttribute("message").startsWith("inconclusive: timeout 1/1"), skipped.getAttribute("message"));
        assertTrue(JunitXml.children(cases.get(0), "system-out").get(0).getTextContent()
                .contains("attempt 1: mtls, pass"), "every attempt in the case's output");
        assertEquals("1", root.getAttribute("failures"));
    }

    @Test
    void junitReportsARoleMismatchAsAFailedCase() throws Exception {
        RoleState mismatch = new RoleState(Role.SIDECAR, "downward-api", Role.NAKED, "label", "");
        Document d = JunitXml.parse(JunitReport.render(CheckResultTest.result(Optional.of(mismatch),
                lane(Role.SIDECAR, HTTPBIN, MTLS))));
        List<Element> cases = JunitXml.testcases(d);
        assertEquals(2, cases.size());
        Element role = cases.get(1);
        assertEquals("role is the intended one", role.getAttribute("name"));
        assertEquals("role_mismatch", JunitXml.children(role, "failure").get(0).getAttribute("type"));
    }

    @Test
    void hostileReasonsAndUrlsKeepEveryFormatWellFormed() throws Exception {
        TargetSpec hostileUrl = new TargetSpec("h", "http://127.0.0.1:1/" + HOSTILE, false, "127.0.0.1", 1, "/", true,
                Optional.empty(), Optional.empty());
        LaneResult lane = new LaneResult(Role.NAKED, hostileUrl, List.of(
                Attempts.of(Role.NAKED, hostileUrl, Outcome.PLAINTEXT, HOSTILE),
                Attempts.of(Role.NAKED, hostileUrl, Outcome.TIMEOUT, HOSTILE + "x".repeat(5000))));
        CheckResult r = CheckResultTest.result(Optional.of(NAKED), lane);

        Document d = JunitXml.parse(JunitReport.render(r));
        Element failure = JunitXml.children(JunitXml.testcases(d).get(0), "failure").get(0);
        assertTrue(failure.getAttribute("message").contains("]]></failure><x a=\"1\"/>&amp; <!--"),
                "markup arrives as text: " + failure.getAttribute("message"));
        assertTrue(failure.getAttribute("message").contains("\uD83D\uDE00"), "a valid surrogate pair is kept");

        JsonNode j = new ObjectMapper().readTree(JsonReport.render(r));
        assertEquals(HOSTILE + "; plaintext from a pod without a sidecar was accepted",
                j.at("/lanes/0/attempts/0/reason").asText(), "JSON carries the text exactly");
        assertTrue(j.at("/lanes/0/attempts/1/reason").asText().length() <= TextReport.MAX_REASON + 3, "bounded");

        String text = TextReport.render(r);
        assertEquals(2, text.lines().count(), "no forged line:\n" + text);
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n' || c > 0x7e), "printable ASCII only");
        assertTrue(text.lines().allMatch(l -> l.length() < 1200), "bounded");
    }
}
