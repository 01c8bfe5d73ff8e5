package dev.mtlsprobe.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One (role, target) cell as {@code /api/status} shows it.
 *
 * @param latest             the latest attempt, or null before the first
 * @param verdictSinceMillis when the current verdict began: the first attempt of the current run of equal verdicts
 * @param lastPassMillis     the latest pass, or 0 when there was none
 * @param clientId           identities of the latest mtls result, when there was one
 * @param history            the latest attempts, newest first; only when asked for ({@code ?history=N})
 * @param timeline           the last hour, a character per minute (see the API docs); only with history
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CellView(String target, String url, String role, boolean echo, AttemptRecord latest,
        Long verdictSinceMillis, Long lastPassMillis, String clientId, String serverId, List<AttemptRecord> history,
        String timeline) {
}
