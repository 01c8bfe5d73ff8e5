package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.SpiffeId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Parser for Envoy's {@code X-Forwarded-Client-Cert}: comma-separated elements, each a semicolon-separated
 * list of {@code Key=Value} pairs (By, Hash, Cert, Chain, Subject, URI, DNS), values optionally double-quoted
 * with {@code \"} escapes. The header comes from the network, so the parser is bounded and never throws.
 */
public final class Xfcc {

    public static final int MAX_LENGTH = 16 * 1024;
    public static final int MAX_ELEMENTS = 32;
    private static final int MAX_PAIRS = 64;

    /** One element: keys lower-cased, values in order of appearance (URI and DNS may repeat). */
    public record Element(Map<String, List<String>> fields) {

        public Optional<String> first(String key) {
            List<String> values = fields.get(key.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        public List<String> all(String key) {
            return fields.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
        }
    }

    private Xfcc() {
    }

    /** @return the elements, or empty when the header is malformed or over the limits */
    public static Optional<List<Element>> parse(String header) {
        if (header == null || header.isBlank() || header.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        List<Element> elements = new ArrayList<>();
        Map<String, List<String>> fields = new LinkedHashMap<>();
        int pairs = 0;
        int i = 0;
        int n = header.length();
        while (true) {
            int eq = header.indexOf('=', i);
            if (eq < 0) {
                return Optional.empty();
            }
            String key = header.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty() || !key.chars().allMatch(Character::isLetter) || ++pairs > MAX_PAIRS) {
                return Optional.empty();
            }
            StringBuilder value = new StringBuilder();
            int j = eq + 1;
            if (j < n && header.charAt(j) == '"') {
                j++;
                boolean closed = false;
                while (j < n) {
                    char c = header.charAt(j++);
                    if (c == '\\' && j < n) {
                        value.append(header.charAt(j++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    return Optional.empty();
                }
                while (j < n && header.charAt(j) == ' ') {
                    j++;
                }
                if (j < n && header.charAt(j) != ';' && header.charAt(j) != ',') {
                    return Optional.empty();
                }
            } else {
                while (j < n && header.charAt(j) != ';' && header.charAt(j) != ',') {
                    value.append(header.charAt(j++));
                }
            }
            fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value.toString().trim());
            if (j >= n || header.charAt(j) == ',') {
                elements.add(new Element(fields));
                if (elements.size() > MAX_ELEMENTS) {
                    return Optional.empty();
                }
                fields = new LinkedHashMap<>();
                if (j >= n) {
                    return Optional.of(List.copyOf(elements));
                }
            }
            i = j + 1;
        }
    }

    /**
     * The identities of the hop nearest to the echo server: its last element. Empty when the header is
     * malformed or names no client URI, because only a URI SAN proves an mTLS peer.
     */
    public static Optional<PeerIdentity> identity(String header) {
        return parse(header).flatMap(elements -> {
            Element last = elements.get(elements.size() - 1);
            List<String> uris = last.all("uri");
            if (uris.isEmpty()) {
                return Optional.empty();
            }
            String client = uris.stream().filter(u -> u.startsWith("spiffe://")).findFirst().orElse(uris.get(0));
            String server = last.first("by").map(SpiffeId::orInvalid).orElse(PeerIdentity.UNKNOWN);
            return Optional.of(new PeerIdentity(SpiffeId.orInvalid(client), server));
        });
    }
}
