package dev.mtlsprobe.model;

/** Makes untrusted text safe for a log line or a reason: printable ASCII only, bounded length. */
public final class Sanitize {

    private Sanitize() {
    }

    public static String text(String raw, int max) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), max) + 3);
        for (int i = 0; i < raw.length() && sb.length() < max; i++) {
            char c = raw.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return raw.length() > max ? sb.append("...").toString() : sb.toString();
    }
}
