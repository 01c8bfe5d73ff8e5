// What the page shows, derived from one /api/status document at one moment: per target its two cells (own or
// the peer's), each with its age on the browser's clock and whether it is still fresh. The pair's state and
// advice come from the server (dev.mtlsprobe.pair: the same rule as mtls_probe:enforced); the page only ever
// greys them out, when its own data grew old, and never turns anything green by itself.

export const ROLES = ['naked', 'sidecar'];
export const STALE_INTERVALS = 3;

/**
 * @param doc        the document
 * @param receivedAt browser time it first arrived
 * @param now        browser time
 * @param connected  false after two missed polls: every cell is grey
 */
export function derive(doc, receivedAt, now, connected) {
  // Times are turned into browser time by the shift of the clock that wrote them.
  const ownShift = receivedAt - doc.generatedAtMillis;
  const peer = doc.peer || { state: 'off' };
  const peerOk = peer.state === 'ok' && peer.status;
  const peerShift = peerOk ? ownShift + (peer.fetchedAtMillis - peer.status.generatedAtMillis) : 0;
  const pairs = new Map((doc.pair ? doc.pair.targets : []).map(t => [t.target, t]));
  const byTarget = new Map();
  const add = (c, source, shift, intervalSeconds) => {
    const t = byTarget.get(c.target) || { name: c.target, url: c.url, cells: {} };
    byTarget.set(c.target, t);
    if (!t.cells[c.role]) t.cells[c.role] = { role: c.role, source, c, shift, intervalMs: intervalSeconds * 1000 };
  };
  for (const c of doc.targets) add(c, 'own', ownShift, doc.intervalSeconds);
  if (peerOk) for (const c of peer.status.targets) add(c, 'peer', peerShift, peer.status.intervalSeconds);
  for (const name of pairs.keys()) {
    if (!byTarget.has(name)) byTarget.set(name, { name, url: '', cells: {} });
  }
  const policies = new Map(((doc.kubernetes && doc.kubernetes.enabled && doc.kubernetes.targets) || [])
    .map(p => [p.target, p]));

  const targets = [];
  for (const t of byTarget.values()) {
    const pair = pairs.get(t.name) || { state: 'unproven', reason: 'not judged', advice: [] };
    const cells = ROLES.map(role => cell(role, t.cells[role], doc, peer, ownShift, now, connected,
      (pair.advice || []).find(a => a.role === role)));
    const grey = cells.some(c => c.grey);
    // A green pair with a cell gone grey on this side of the wire is no longer green.
    const state = !connected ? 'nodata' : pair.state === 'enforced' && grey ? 'unproven' : pair.state;
    targets.push({ name: t.name, url: t.url || (cells.find(c => c.c) || { c: {} }).c.url || '', state,
      reason: pair.reason, cells, policy: policies.get(t.name) || null });
  }
  return targets;
}

function cell(role, found, doc, peer, ownShift, now, connected, advice) {
  if (!found) {
    return { role, grey: true, kind: missingKind(peer), message: missing(role, doc, peer), advice,
      unreachableSince: peer.state === 'unreachable' ? peer.sinceMillis + ownShift : null, problem: peer.problem };
  }
  const { c, shift, intervalMs, source } = found;
  const base = { role, source, c, shift, advice, timelineEnd: source === 'own'
    ? doc.generatedAtMillis + shift : peer.status.generatedAtMillis + shift };
  if (!c.latest) {
    return { ...base, grey: true, kind: 'nodata', message: 'no attempt yet' };
  }
  const at = c.latest.startedAtMillis + shift;
  const age = now - at;
  if (!connected || age > STALE_INTERVALS * intervalMs) {
    return { ...base, grey: true, kind: 'nodata', at, age };
  }
  return { ...base, grey: false, kind: c.latest.verdict, at, age };
}

function missingKind(peer) {
  return peer.state === 'unreachable' ? 'unreachable' : peer.state === 'waiting' ? 'waiting' : 'missing';
}

function missing(role, doc, peer) {
  switch (peer.state) {
    case 'unreachable': return 'peer unreachable';
    case 'waiting': return 'waiting for the peer\u2019s first answer';
    case 'ok': return peer.status.role === role ? 'the peer does not probe this target'
      : 'neither this pod nor its peer runs as ' + role;
    default: return 'not probed by this process; no peer: ' + (peer.problem || 'off');
  }
}

const ORDER = { 'not-enforced': 0, nodata: 1, unproven: 1, enforced: 2 };

/** Attention first: not enforced, then unproven, then enforced; by name within each. */
export function sort(targets) {
  return targets.sort((a, b) => (ORDER[a.state] - ORDER[b.state]) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
