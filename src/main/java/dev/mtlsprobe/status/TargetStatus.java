package dev.mtlsprobe.status;

import java.util.List;

/**
 * A target as one role sees it: the latest attempt, the identities of the latest mtls result, and the
 * recent history, newest first.
 */
public record TargetStatus(String target, String url, String role, AttemptRecord latest, String clientId,
        String serverId, List<AttemptRecord> history) {
}
