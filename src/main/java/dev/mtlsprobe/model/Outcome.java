package dev.mtlsprobe.model;

/** The closed set of what one attempt can observe; the {@code outcome} label. */
public enum Outcome {
    MTLS("mtls"),
    PLAINTEXT("plaintext"),
    ACCEPTED("accepted"),
    RESET("reset"),
    /** A TCP check only: the peer closed with FIN before sending any byte (an HTTP attempt calls that RESET). */
    CLOSED("closed"),
    DENIED("denied"),
    MESH_ERROR("mesh_error"),
    REFUSED("refused"),
    TIMEOUT("timeout"),
    DNS_ERROR("dns_error"),
    HTTP_ERROR("http_error"),
    ERROR("error");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True when the target answered with an HTTP response that let the request through. */
    public boolean accepted() {
        return this == MTLS || this == PLAINTEXT || this == ACCEPTED;
    }
}
