package dev.mtlsprobe.role;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Kubernetes downward-API file ({@code fieldRef: metadata.labels} or {@code metadata.annotations}):
 * one {@code key="value"} per line, the value quoted with Go escapes.
 */
public final class PodInfoFile {

    private static final long MAX_SIZE = 256 * 1024; // annotations are capped at 256 KiB by the API server

    private PodInfoFile() {
    }

    /** @return the entries, or empty when the file does not exist (the probe is not in a pod) */
    public static Optional<Map<String, String>> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_SIZE) {
            throw new IOException(file + " is larger than " + MAX_SIZE + " bytes");
        }
        return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String raw = line.substring(eq + 1).trim();
            entries.put(key, raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")
                    ? unquote(raw.substring(1, raw.length() - 1)) : raw);
        }
        return entries;
    }

    private static String unquote(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
