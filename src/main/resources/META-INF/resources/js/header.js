// The headline (the pair's verdict), how fresh the data is, this pod, its peer and the Kubernetes view.
// The headline's state comes from the server's pair rule; the page only greys it out: when answers stop,
// or when a cell it depends on has grown old since.

import { clock, duration, el, since } from './format.js';

const CLASS = { enforced: 'pass', 'not-enforced': 'fail', unproven: 'unproven' };

export function headline(poller, targets, now, connected) {
  const doc = poller.doc;
  const box = document.getElementById('headline');
  const summary = document.getElementById('summary');
  const detail = document.getElementById('summary-detail');
  let cls;
  let text;
  let why;
  if (!connected) {
    cls = 'nodata';
    text = 'No data for ' + duration(poller.silence(now));
    why = 'the probe does not answer (' + (poller.error || 'no answer yet') + '); nothing shown here is current';
  } else if (targets.length && targets.every(t => t.cells.every(c => c.grey))
      && targets.some(t => t.cells.some(c => c.age !== undefined))) {
    // The probe answers but nothing it shows is current: its loop may be stuck.
    const youngest = Math.min(...targets.flatMap(t => t.cells).filter(c => c.age !== undefined).map(c => c.age));
    cls = 'nodata';
    text = 'No data for ' + duration(youngest);
    why = 'no attempt in the last three intervals';
  } else if (!doc || !doc.pair) {
    cls = 'nodata';
    text = 'Waiting for the first attempts\u2026';
    why = '';
  } else if (doc.pair.headline === 'enforced' && targets.some(t => t.state !== 'enforced')) {
    const old = targets.filter(t => t.state !== 'enforced').map(t => t.name);
    cls = 'unproven';
    text = 'mTLS unproven';
    why = 'no fresh data for ' + old.slice(0, 5).join(', ') + (old.length > 5 ? ' and ' + (old.length - 5) + ' more' : '');
  } else {
    cls = CLASS[doc.pair.headline] || 'unproven';
    text = doc.pair.text;
    why = doc.pair.detail;
  }
  box.className = 'headline ' + cls;
  box.dataset.state = cls;
  summary.textContent = text;
  detail.textContent = why;
}

export function freshness(poller, now, connected) {
  const f = document.getElementById('freshness');
  f.className = 'freshness' + (connected ? '' : ' lost');
  f.textContent = !poller.lastAnswerAt ? (connected ? 'Connecting\u2026' : 'No answer from the probe: ' + poller.error)
    : connected ? 'Updated ' + duration(now - poller.lastAnswerAt) + ' ago \u00b7 polled every '
      + (poller.periodMs / 1000) + ' s'
      : 'No answer since ' + clock(poller.lastAnswerAt) + ' (' + duration(now - poller.lastAnswerAt) + '): '
        + poller.error;
}

export function about(doc, receivedAt) {
  const role = document.getElementById('role');
  role.textContent = doc.role === 'demo'
    ? 'Demo mesh: both roles run in this process \u00b7 every ' + doc.interval
    : 'This pod: ' + doc.roleReason + ' \u00b7 every ' + doc.interval;
  role.className = 'role' + (doc.roleMismatch ? ' mismatch' : '');

  const peer = document.getElementById('peer');
  const p = doc.peer || { state: 'off' };
  const shift = receivedAt - doc.generatedAtMillis;
  peer.replaceChildren();
  peer.className = 'role peer-' + p.state;
  peer.dataset.state = p.state;
  if (p.state === 'ok') {
    peer.appendChild(el('span', null, 'Peer: ' + p.status.roleReason + ' \u00b7 ' + p.url + ' \u00b7 answered '));
    peer.appendChild(since(p.lastContactMillis + shift, '', ' ago'));
    if (p.status.roleMismatch) peer.classList.add('mismatch');
  } else if (p.state === 'unreachable') {
    peer.appendChild(el('span', null, 'Peer unreachable since ' + clock(p.sinceMillis + shift) + ' ('));
    peer.appendChild(since(p.sinceMillis + shift, '', '): '));
    peer.appendChild(el('span', null, p.problem + ' \u00b7 ' + p.url));
  } else if (p.state === 'waiting') {
    peer.textContent = 'Peer: waiting for the first answer from ' + p.url;
  } else if (doc.role !== 'demo') {
    peer.textContent = 'No peer: ' + (p.problem || 'off');
  }

  const kube = document.getElementById('kube');
  const k = doc.kubernetes;
  kube.textContent = !k ? '' : !k.enabled ? 'Kubernetes features off: ' + k.reason
    : 'Kubernetes API ' + (k.apiUp === 1 ? 'reachable' : 'NOT reachable') + (k.pod ? ' \u00b7 pod ' + k.pod : '')
      + [...(k.problems || []), ...(k.ambientNotes || [])].map(x => ' \u00b7 ' + x).join('');
  kube.className = 'role' + (k && k.enabled && k.apiUp !== 1 ? ' mismatch' : '');
}
