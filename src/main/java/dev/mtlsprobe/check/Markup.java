package dev.mtlsprobe.check;

/**
 * Escaping for the machine-read reports. Reasons carry text a hostile peer shaped (bounded and printable already,
 * see {@code AttemptResult}), URLs and names come from configuration: none of it may break the document it is in.
 */
final class Markup {

    private Markup() {
    }

    /** A JSON string literal, quotes included. */
    static String json(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    // U+2028/2029 are valid JSON but end a line in JavaScript; escape them with the controls.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A quoted XML attribute's value: line breaks as references, which survive attribute normalisation. */
    static String xmlAttribute(String s) {
        return xml(s, true);
    }

    /** XML element content: line breaks as they are. */
    static String xmlText(String s) {
        return xml(s, false);
    }

    /**
     * Characters XML 1.0 cannot carry at all (most controls, lone surrogates, U+FFFE/U+FFFF) become '?': even as
     * references they would make the report unparseable.
     */
    private static String xml(String s, boolean attribute) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append(attribute ? "&#10;" : "\n");
                case '\r' -> sb.append("&#13;");
                case '\t' -> sb.append(attribute ? "&#9;" : "\t");
                default -> sb.append(c < 0x20 || Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF' ? '?' : c);
            }
        }
        return sb.toString();
    }
}
