package dev.mtlsprobe.model;

/**
 * A verdict and, where it is not simply implied by the outcome, why.
 *
 * @param note empty when the outcome's own reason explains the verdict
 */
public record Judgement(Verdict verdict, String note) {
}
