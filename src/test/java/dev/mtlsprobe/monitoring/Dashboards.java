package dev.mtlsprobe.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the dashboards under grafana/ and flattens their panels (rows may nest panels). */
final class Dashboards {

    record Query(String panelTitle, String refId, String expr) {
    }

    private Dashboards() {
    }

    static JsonNode read(Path file) throws IOException {
        return MonitoringFiles.JSON.readTree(file.toFile());
    }

    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    static List<Query> queries(JsonNode dashboard) {
        List<Query> out = new ArrayList<>();
        for (JsonNode p : panels(dashboard)) {
            for (JsonNode t : p.path("targets")) {
                out.add(new Query(p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
            }
        }
        return out;
    }

    static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        return null;
    }
}
