package dev.mtlsprobe.model;

/** What sits between the probe and the network: an Istio sidecar, or nothing. */
public enum Role {
    SIDECAR("sidecar"), NAKED("naked");

    private final String label;

    Role(String label) {
        this.label = label;
    }

    /** The {@code role} label value. */
    public String label() {
        return label;
    }
}
