package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;

/**
 * What the watches know of the cluster, as the pure composition reads it: live informer caches in the probe,
 * canned objects in tests.
 */
interface ClusterState {

    /** Whether the PeerAuthentication API is known to be served, known not to be, or not discovered yet. */
    enum PeerAuthApi { UNKNOWN, SERVED, NOT_SERVED }

    /** A namespace's labels; null value when it does not exist. */
    Listed<Map<String, String>> namespace(String name);

    /** A Service; null value when it does not exist. */
    Listed<Service> service(ServiceRef ref);

    /** The pods a selector matches in a namespace; pending until a watch for that selector has listed. */
    Listed<List<Pod>> pods(String namespace, Map<String, String> selector);

    PeerAuthApi peerAuthApi();

    /** The served version, or why none is, for the status. */
    String peerAuthApiText();

    /** The PeerAuthentications of a namespace. */
    Listed<List<PeerAuthPolicy>> peerAuthentications(String namespace);
}
