package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.Listed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;

/** What the sweep's watches know, as the pure planner reads it: live informer caches, or canned objects in tests. */
interface SweepState {

    /** The namespaces swept now: those named and those the selector matches; pending until the selector's list. */
    Listed<List<String>> namespaces();

    /** A namespace's labels; null value when it does not exist. */
    Listed<Map<String, String>> namespaceLabels(String namespace);

    Listed<List<Service>> services(String namespace);

    Listed<List<EndpointSlice>> endpointSlices(String namespace);

    Listed<List<Pod>> pods(String namespace);

    /** The PeerAuthentications that can apply in the namespace (its own and the root namespace's), or why unknown. */
    Expectations.Policies policies(String namespace);
}
