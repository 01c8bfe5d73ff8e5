package dev.mtlsprobe.kube;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The pods of one Service: a label selector in a namespace, which the watches list and keep current. */
record PodSelector(String namespace, Map<String, String> labels) {

    PodSelector {
        labels = Map.copyOf(labels);
    }

    /** Stable and readable: {@code ns/app=httpbin,version=v1}. */
    String key() {
        return namespace + "/" + new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
