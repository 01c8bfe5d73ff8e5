package dev.mtlsprobe.model;

/** What an outcome means for the role that saw it; the {@code verdict} label. */
public enum Verdict {
    PASS("pass"), FAIL("fail"), INCONCLUSIVE("inconclusive");

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
