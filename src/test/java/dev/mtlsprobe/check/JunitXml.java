package dev.mtlsprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a JUnit report the way a CI system does: a strict XML parser (no DTD), the structure checked against
 * {@code junit-report.xsd}, and the count attributes checked against the elements they count.
 */
final class JunitXml {

    private JunitXml() {
    }

    static Document parse(String xml) throws Exception {
        SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        schemas.newSchema(JunitXml.class.getResource("/junit-report.xsd")).newValidator()
                .validate(new StreamSource(new StringReader(xml)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        countsAgree(d);
        return d;
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    static List<Element> testcases(Document d) {
        List<Element> out = new ArrayList<>();
        children(d.getDocumentElement(), "testsuite").forEach(s -> out.addAll(children(s, "testcase")));
        return out;
    }

    /** Every tests/failures/skipped attribute equals what its element holds, for each suite and in total. */
    private static void countsAgree(Document d) {
        Element root = d.getDocumentElement();
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        for (Element suite : children(root, "testsuite")) {
            List<Element> cases = children(suite, "testcase");
            int f = (int) cases.stream().filter(c -> !children(c, "failure").isEmpty()).count();
            int s = (int) cases.stream().filter(c -> !children(c, "skipped").isEmpty()).count();
            String name = suite.getAttribute("name");
            assertEquals(cases.size(), Integer.parseInt(suite.getAttribute("tests")), name + " tests");
            assertEquals(f, Integer.parseInt(suite.getAttribute("failures")), name + " failures");
            assertEquals(s, Integer.parseInt(suite.getAttribute("skipped")), name + " skipped");
            tests += cases.size();
            failures += f;
            skipped += s;
        }
        assertEquals(tests, Integer.parseInt(root.getAttribute("tests")), "total tests");
        assertEquals(failures, Integer.parseInt(root.getAttribute("failures")), "total failures");
        assertEquals(skipped, Integer.parseInt(root.getAttribute("skipped")), "total skipped");
    }
}
