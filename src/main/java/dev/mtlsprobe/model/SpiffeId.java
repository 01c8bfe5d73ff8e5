package dev.mtlsprobe.model;

import java.util.regex.Pattern;

/**
 * Validation of SPIFFE IDs, the only identity text that may become a label value. Anything else read from
 * the network is reduced to {@link #INVALID}, so a hostile header can never mint unbounded series.
 */
public final class SpiffeId {

    /** Label value for an identity that was present but not a well-formed SPIFFE ID. */
    public static final String INVALID = "invalid";
    /** Longest identity kept; Istio IDs (spiffe://td/ns/NS/sa/SA) are far shorter. */
    public static final int MAX_LENGTH = 255;

    // Trust domain: lowercase letters, digits, '.', '-', '_'; path segments: letters, digits, '.', '-', '_'.
    private static final Pattern FORM = Pattern.compile("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    private SpiffeId() {
    }

    public static boolean isValid(String text) {
        if (text == null || text.length() > MAX_LENGTH || !FORM.matcher(text).matches()) {
            return false;
        }
        for (String segment : text.substring("spiffe://".length()).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** @return the text when it is a valid SPIFFE ID, else {@link #INVALID} */
    public static String orInvalid(String text) {
        return isValid(text) ? text : INVALID;
    }
}
