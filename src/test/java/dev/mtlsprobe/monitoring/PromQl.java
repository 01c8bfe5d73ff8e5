package dev.mtlsprobe.monitoring;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Just enough PromQL lexing for the dashboard lint: metric names with the function that directly encloses them,
 * and range selectors. String literals are skipped, so label values never look like metrics.
 */
final class PromQl {

    /** A metric name and the function call it sits directly in ("" at top level or in a plain parenthesis). */
    record MetricUse(String metric, String enclosingFunction) {
    }

    private PromQl() {
    }

    static List<MetricUse> metrics(String expr) {
        List<MetricUse> uses = new ArrayList<>();
        Deque<String> calls = new ArrayDeque<>();
        int braces = 0;
        String lastIdent = "";
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
                lastIdent = "";
            } else if (c == '{') {
                braces++;
            } else if (c == '}') {
                braces--;
            } else if (c == '[') {
                i = expr.indexOf(']', i);
            } else if (c == '(') {
                calls.push(lastIdent);
                lastIdent = "";
            } else if (c == ')') {
                calls.poll();
                lastIdent = "";
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i + 1 < expr.length() && isIdent(expr.charAt(i + 1))) {
                    i++;
                }
                String ident = expr.substring(start, i + 1);
                if (braces == 0 && (ident.startsWith("mtls_probe") || ident.equals("ALERTS"))) {
                    uses.add(new MetricUse(ident, calls.isEmpty() ? "" : calls.peek()));
                }
                lastIdent = ident;
            } else if (!Character.isWhitespace(c)) {
                lastIdent = "";
            }
        }
        return uses;
    }

    /** The text inside every [...] outside string literals. */
    static List<String> ranges(String expr) {
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = endOfString(expr, i);
            } else if (c == '[') {
                int end = expr.indexOf(']', i);
                ranges.add(expr.substring(i + 1, end));
                i = end;
            }
        }
        return ranges;
    }

    private static boolean isIdent(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }

    private static int endOfString(String expr, int open) {
        char q = expr.charAt(open);
        for (int i = open + 1; i < expr.length(); i++) {
            if (expr.charAt(i) == '\\' && q != '`') {
                i++;
            } else if (expr.charAt(i) == q) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string in: " + expr);
    }
}
