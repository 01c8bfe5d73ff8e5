package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.status.CellView;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The peer's document is network input: every field is checked, every text cut, a bad one refused whole. */
class PeerDocumentTest {

    static PeerStatus parse(String body) throws PeerDocument.Invalid {
        return PeerDocument.parse(body.getBytes(StandardCharsets.UTF_8), PeerDocs.JSON);
    }

    @Test
    void readsWhatAProbeServes() throws Exception {
        PeerStatus s = parse(PeerDocs.sidecar().toString());
        assertEquals("sidecar", s.role());
        assertEquals(5.0, s.intervalSeconds());
        CellView c = s.targets().get(0);
        assertEquals("httpbin", c.target());
        assertEquals("mtls", c.latest().outcome());
        assertEquals("pass", c.latest().verdict());
        assertEquals("-".repeat(58) + "pP", c.timeline());
        assertNull(c.history());
    }

    @Test
    void textsAreCutToPrintableAsciiOfBoundedLength() throws Exception {
        ObjectNode doc = PeerDocs.sidecar();
        ((ObjectNode) PeerDocs.cell(doc).get("latest")).put("reason", "<img src=x>\u001b[31m\n" + "y".repeat(5000));
        String reason = parse(doc.toString()).targets().get(0).latest().reason();
        assertTrue(reason.startsWith("<img src=x>?[31m?yyy"), reason);
        assertTrue(reason.length() <= 313, "cut: " + reason.length());
    }

    static Stream<Arguments> hostile() {
        return Stream.of(
                bad("cut", "{\"role\":\"sidecar\",\"targets\":[{\"target\":\"a"),
                bad("not an object", "[1,2,3]"),
                bad("not JSON at all", "HTTP/1.1 200 OK"),
                bad("nested without end", "[".repeat(5000) + "]".repeat(5000)),
                mutated("the demo, not a pod", d -> d.put("role", "demo")),
                mutated("an unknown role", d -> d.put("role", "<b>admin</b>")),
                mutated("no interval", d -> d.remove("intervalSeconds")),
                mutated("an interval of a year", d -> d.put("intervalSeconds", 31_536_000)),
                mutated("a time from far away", d -> d.put("generatedAtMillis", Long.MAX_VALUE)),
                mutated("a number beyond long", d -> d.put("generatedAtMillis", new java.math.BigInteger("9".repeat(40)))),
                mutated("targets not a list", d -> d.put("targets", "all")),
                mutated("a target name that is markup", d -> PeerDocs.cell(d).put("target", "<script>x</script>")),
                mutated("a cell of another role", d -> PeerDocs.cell(d).put("role", "naked")),
                mutated("an outcome outside the closed set", d -> ((ObjectNode) PeerDocs.cell(d).get("latest"))
                        .put("outcome", "ok")),
                mutated("a verdict outside the closed set", d -> ((ObjectNode) PeerDocs.cell(d).get("latest"))
                        .put("verdict", "green")),
                mutated("a timeline of another alphabet", d -> PeerDocs.cell(d).put("timeline", "x".repeat(60))),
                mutated("a timeline of another length", d -> PeerDocs.cell(d).put("timeline", "p".repeat(61))),
                mutated("a negative duration", d -> ((ObjectNode) PeerDocs.cell(d).get("latest"))
                        .put("durationSeconds", -1)),
                mutated("a reason that is not text", d -> ((ObjectNode) PeerDocs.cell(d).get("latest"))
                        .putObject("reason")),
                mutated("more cells than any configuration", d -> {
                    ArrayNode cells = d.putArray("targets");
                    for (int i = 0; i <= PeerDocument.MAX_CELLS; i++) {
                        cells.addObject();
                    }
                }));
    }

    static Arguments bad(String what, String body) {
        return Arguments.of(what, body);
    }

    static Arguments mutated(String what, Consumer<ObjectNode> change) {
        ObjectNode doc = PeerDocs.sidecar();
        change.accept(doc);
        return Arguments.of(what, doc.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void aDocumentThatIsNotAProbesStatusIsRefusedWhole(String what, String body) {
        PeerDocument.Invalid e = assertThrows(PeerDocument.Invalid.class, () -> parse(body), what);
        assertTrue(e.getMessage().chars().allMatch(c -> c >= 0x20 && c < 0x7f), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }
}
