package dev.mtlsprobe.probe;

import java.util.Map;

/**
 * What came back, bounded: status, headers (lower-case names, first value) and at most
 * {@link ResponseReader#MAX_BODY} bytes of body.
 *
 * @param truncated true when the body was longer than the limit or the connection broke during it
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, boolean truncated) {

    public String header(String name) {
        return headers.get(name);
    }
}
