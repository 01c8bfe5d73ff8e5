package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.probe.Prober;
import java.util.function.BooleanSupplier;

/**
 * One role's view of the network: the role its results are labelled with, the prober that takes its path,
 * and whether its own sidecar is ready (always true for a naked lane).
 */
public record Lane(Role role, Prober prober, BooleanSupplier sidecarReady) {
}
