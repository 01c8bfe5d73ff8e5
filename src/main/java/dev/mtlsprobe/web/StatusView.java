package dev.mtlsprobe.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mtlsprobe.kube.KubernetesStatus;
import dev.mtlsprobe.pair.PairView;
import dev.mtlsprobe.pair.PeerView;
import dev.mtlsprobe.status.CellView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The body of {@code /api/status}.
 *
 * @param version          grows with every change; the response's ETag
 * @param generatedAtMillis when this view was made (the page ages its cells against it)
 * @param role             the detected role of this process ({@code sidecar} or {@code naked}); {@code demo} when
 *                         the embedded demo mesh runs both roles in one process
 * @param roleSource       how it was detected
 * @param intendedRole     the role the pod was meant to have
 * @param roleMismatch     true when the two differ
 * @param roleReason       one sentence about the role, with the fix on a mismatch
 * @param interval         time between attempts
 * @param intervalSeconds  the same, as a number
 * @param timeout          attempt budget
 * @param targets          every (role, target) cell this process probes
 * @param demo             the demo mesh's state, or null outside demo mode
 * @param kubernetes       what the Kubernetes API says: effective PeerAuthentication per target and its deciding
 *                         policy, namespace injection, ambient notes, API health; null when the features are off
 * @param peer             the other probe of the pair and its cells (state {@code off} in the demo, where both
 *                         roles run here); null in the compact document served to the peer
 * @param pair             both roles judged together per target, the headline, and what to do about each cell that
 *                         does not pass; null in the compact document served to the peer
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StatusView(String version, long generatedAtMillis, String role, String roleSource, String intendedRole,
        boolean roleMismatch, String roleReason, String interval, double intervalSeconds, String timeout,
        List<CellView> targets, DemoView demo, KubernetesStatus kubernetes, PeerView peer, PairView pair) {

    /** The demo mesh: its PeerAuthentication mode and the identities it issued. */
    @RegisterForReflection
    public record DemoView(String policy, String serverId, String clientId) {
    }
}
