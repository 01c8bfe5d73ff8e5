// The six alerts of the contract. Each aggregates by (cluster, namespace, target[, role]) so that a restarted pod
// is the same probe and a restart never pages.
{
  local c = $._config,
  local q = (import '../lib/promql.libsonnet').new(c),
  local a = (import '../lib/alert.libsonnet').new(c),
  local forOf(name) = a.human(c['for'][name]),
  local attempt = 'mtls_probe_last_attempt_timestamp_seconds',

  // One role reports for a namespace and target while the other does not.
  local missingBeside(role, other) = q.fill(|||
    (
      label_replace(
        max %(by)s (%(other)s),
        "role", "%(role)s", "", "")
      unless %(on)s
      %(mine)s
    )
  |||, {
    by: q.by(['namespace', 'target']),
    on: q.on(['namespace', 'target']),
    other: q.probe(attempt, 'role="%s"' % other),
    mine: q.probe(attempt, 'role="%s"' % role),
    role: role,
  }),

  // No series of a role anywhere for `memory`, while the other role does not report either.
  local absentEverywhere(role, other) = q.fill(|||
    (
      absent_over_time(%(mine)s[%(memory)s])
      unless on () %(other)s
    )
  |||, {
    mine: q.probe(attempt, 'role="%s"' % role),
    other: q.probe(attempt, 'role="%s"' % other),
    memory: c.memory,
  }),

  prometheusAlerts+:: {
    groups+: [
      {
        name: 'mtls-probe.alerts',
        rules: [
          // The counter catches a single plaintext success between two scrapes; the gauge catches a pod whose very
          // first scraped sample already counts one. dns_error, refused, timeout, mesh_error, closed never match.
          a.alert('MtlsProbePlaintextAccepted', q.fill(|||
            (
              sum %(by)s (
                increase(%(attempts)s[%(window)s])
              ) > 0
            )
            or
            (
              max %(by)s (
                %(last)s
              ) == 1
            )
          |||, {
            by: q.by(['namespace', 'target', 'role', 'outcome']),
            attempts: q.probe('mtls_probe_attempts_total', 'role="naked", outcome=~"plaintext|accepted"'),
            last: q.probe('mtls_probe_last_outcome', 'role="naked", outcome=~"plaintext|accepted"'),
            window: c.plaintextWindow,
          }),
                  'A pod without a sidecar got an answer in plaintext: mutual TLS is not enforced.',
                  'The naked probe (no sidecar) in %s called target {{ $labels.target }} over plain HTTP and got '
                  % a.where + 'outcome {{ $labels.outcome }} within the last %s: the target accepts plaintext, '
                  % a.human(c.plaintextWindow) + 'so mutual TLS is not enforced.'),

          a.alert('MtlsProbeMeshedCallFailing', q.fill(|||
            max %(by)s (%(verdict)s) == 1
          |||, {
            by: q.by(['namespace', 'target', 'role']),
            verdict: q.probe('mtls_probe_verdict', 'role="sidecar", verdict="fail"'),
          }),
                  'Calls from a pod with a sidecar fail: meshed workloads cannot reach the target over mutual TLS.',
                  'The sidecar probe in %s has had verdict fail for target {{ $labels.target }} for %s; '
                  % [a.where, forOf('MtlsProbeMeshedCallFailing')] + 'latest outcome: %s. '
                  % a.latest('mtls_probe_last_outcome', 'outcome')
                  + 'Workloads with a sidecar cannot reach the target over mutual TLS.'),

          // min: one naked pod that proves enforcement is enough.
          a.alert('MtlsProbeEnforcementUnproven', q.fill(|||
            min %(by)s (%(verdict)s) == 1
          |||, {
            by: q.by(['namespace', 'target', 'role']),
            verdict: q.probe('mtls_probe_verdict', 'role="naked", verdict="inconclusive"'),
          }),
                  'mTLS enforcement is unproven: the naked probe sees neither a reset nor an answer.',
                  'The naked probe in %s has had verdict inconclusive for target {{ $labels.target }} for %s; '
                  % [a.where, forOf('MtlsProbeEnforcementUnproven')] + 'latest outcome: %s. '
                  % a.latest('mtls_probe_last_outcome', 'outcome')
                  + 'Neither a reset (enforced) nor an accepted plaintext call was observed.'),

          // One alert per target of the mismatched pod (naming its latest outcome), or one per pod before its first
          // attempt. A naked-role probe whose calls come back as mtls is a naked pod whose traffic is wrapped by a
          // proxy the detection did not see: the same false-green risk, so it belongs here.
          a.alert('MtlsProbeRoleMismatch', q.fill(|||
            max %(byPod)s (
              (%(last)s == 1)
              and ignoring (target, role, outcome) (%(mismatch)s == 1)
            )
            or
            max %(byPod)s (
              %(nakedMtls)s == 1
            )
            or %(onPod)s
            max %(byPodRole)s (
              %(info)s and ignoring (role, source) (%(mismatch)s == 1)
            )
          |||, {
            byPod: q.by(['namespace', 'pod', 'role', 'target', 'outcome']),
            byPodRole: q.by(['namespace', 'pod', 'role']),
            onPod: q.on(['namespace', 'pod']),
            last: q.probe('mtls_probe_last_outcome'),
            nakedMtls: q.probe('mtls_probe_last_outcome', 'role="naked", outcome="mtls"'),
            mismatch: q.probe('mtls_probe_role_mismatch'),
            info: q.probe('mtls_probe_role_info'),
          }),
                  'A probe pod does not run as its intended role: its verdicts prove nothing.',
                  'Probe pod {{ $labels.pod }} in %s runs as role {{ $labels.role }} but was deployed as the other '
                  % a.where + 'one (or, as naked, its calls come back over mutual TLS); for target '
                  + '{{ with $labels.target }}{{ . }}{{ else }}(none yet){{ end }} its latest outcome is '
                  + '{{ with $labels.outcome }}{{ . }}{{ else }}unknown{{ end }}. Its verdicts prove nothing until '
                  + 'the pod runs as intended.'),

          // Per namespace, target and role: stale (the latest attempt is older than staleIntervals of the probe's
          // own intervals: the loop is stuck while the pod is still scraped), vanished (reported within `memory`,
          // not now), or missing while the other role of the pair reports; and per role: no series anywhere for
          // `memory` while the other role does not report either (when it does, the clauses above already name
          // the target). `for` rides out a pod restart.
          a.alert('MtlsProbeDown', q.fill(|||
            (
              min %(by)s (
                %(age)s
              ) > %(n)s
            )
            or
            (
              max %(by)s (last_over_time(%(attempt)s[%(memory)s]))
              unless
              max %(by)s (%(attempt)s)
            )
            or
            %(nakedMissing)s
            or
            %(sidecarMissing)s
            or
            %(nakedAbsent)s
            or
            %(sidecarAbsent)s
          |||, {
            by: q.by(['namespace', 'target', 'role']),
            age: q.indent(q.attemptAgeInIntervals(), 4),
            n: c.staleIntervals,
            attempt: q.probe(attempt),
            memory: c.memory,
            nakedMissing: q.indent(missingBeside('naked', 'sidecar'), 0),
            sidecarMissing: q.indent(missingBeside('sidecar', 'naked'), 0),
            nakedAbsent: q.indent(absentEverywhere('naked', 'sidecar'), 0),
            sidecarAbsent: q.indent(absentEverywhere('sidecar', 'naked'), 0),
          }),
                  'A probe of the pair is down or stale: mutual TLS enforcement is not being verified.',
                  '{{ if $labels.target }}The {{ $labels.role }} probe in %s has reported no attempt for target '
                  % a.where + '{{ $labels.target }} in the last %d of its intervals, for %s now; last outcome seen: %s.'
                  % [c.staleIntervals, forOf('MtlsProbeDown'),
                     a.latest('mtls_probe_last_outcome', 'outcome', none='none', lookback=c.memory)]
                  + '{{ else }}No {{ $labels.role }} probe has reported to Prometheus for %s, in any namespace, '
                  % forOf('MtlsProbeDown') + 'for any target; outcome: none.{{ end }} '
                  + 'Mutual TLS enforcement is not being verified.'),

          a.alert('MtlsProbePeerAuthenticationNotStrict', q.fill(|||
            max %(by)s (%(mode)s) == 0
          |||, {
            by: q.by(['namespace', 'target', 'target_namespace']),
            mode: q.probe('mtls_probe_peer_authentication_mode', 'mode="STRICT"'),
          }),
                  'The PeerAuthentication in force for a probed workload is not STRICT.',
                  'The effective PeerAuthentication mode for target {{ $labels.target }} (workload namespace '
                  + '{{ $labels.target_namespace }}, seen by the probes in %s) has been %s instead of STRICT for '
                  % [a.where, a.latest('mtls_probe_peer_authentication_mode', 'mode',
                                       match=[['target_namespace', '$labels.target_namespace']])]
                  + '%s; the naked probe\'s latest outcome: %s.'
                  % [forOf('MtlsProbePeerAuthenticationNotStrict'),
                     a.latest('mtls_probe_last_outcome', 'outcome', match=[['role', '"naked"']])]),
        ],
      },
    ],
  },
}
