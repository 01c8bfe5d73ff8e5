// Live verification matrix. Everything shown comes from /api/status and is written with textContent:
// values that came from the network (reasons, identities) are never interpreted as HTML.
'use strict';

const ROLES = ['sidecar', 'naked'];
const POLL_MS = 1000;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
}

function cell(entry) {
  const td = el('td');
  if (!entry) {
    td.appendChild(el('span', 'empty', 'not probed by this process'));
    return td;
  }
  const a = entry.latest;
  if (!a) {
    td.appendChild(el('span', 'empty', 'no attempt yet'));
    return td;
  }
  td.dataset.verdict = a.verdict;
  td.dataset.outcome = a.outcome;
  td.appendChild(el('span', 'verdict ' + a.verdict, a.verdict));
  td.appendChild(el('span', 'outcome', a.outcome));
  const ids = a.clientId ? a.clientId + ' \u2192 ' + a.serverId
    : (entry.clientId ? 'last mTLS: ' + entry.clientId + ' \u2192 ' + entry.serverId : 'no identities');
  td.appendChild(el('div', 'ids', ids));
  td.appendChild(el('div', 'detail', (a.durationSeconds * 1000).toFixed(1) + ' ms \u00b7 ' + ago(a.startedAtMillis)));
  td.appendChild(el('div', 'detail reason', a.reason));
  const history = el('div', 'history');
  history.setAttribute('aria-label', 'last ' + entry.history.length + ' attempts, newest first');
  for (const h of entry.history) {
    const dot = el('span', h.verdict);
    dot.title = new Date(h.startedAtMillis).toLocaleTimeString() + ' ' + h.outcome + ' (' + h.verdict + ')';
    history.appendChild(dot);
  }
  td.appendChild(history);
  return td;
}

function summary(status) {
  const byTarget = {};
  for (const t of status.targets) {
    (byTarget[t.target] = byTarget[t.target] || {})[t.role] = t.latest && t.latest.verdict;
  }
  const names = Object.keys(byTarget);
  if (names.length === 0 || names.some(n => ROLES.every(r => !byTarget[n][r]))) {
    return ['unknown', 'Waiting for the first attempts\u2026'];
  }
  const failing = names.filter(n => ROLES.some(r => byTarget[n][r] === 'fail'));
  if (failing.length) {
    const naked = failing.filter(n => byTarget[n].naked === 'fail');
    return ['fail', naked.length
      ? 'mTLS NOT enforced: plaintext from a pod without a sidecar was accepted by ' + naked.join(', ')
      : 'Meshed calls failing: ' + failing.join(', ')];
  }
  const proven = names.filter(n => byTarget[n].naked === 'pass' && byTarget[n].sidecar === 'pass');
  if (proven.length === names.length) {
    return ['pass', 'mTLS enforced'];
  }
  const partial = names.filter(n => !byTarget[n].naked || !byTarget[n].sidecar);
  if (partial.length) {
    return ['inconclusive', 'This process sees one role only; the pair\u2019s verdict is mtls_probe:enforced in Prometheus'];
  }
  return ['inconclusive', 'Enforcement not proven yet (inconclusive results)'];
}

function render(status) {
  const [cls, text] = summary(status);
  const s = document.getElementById('summary');
  s.className = 'summary ' + cls;
  s.textContent = text;

  const role = document.getElementById('role');
  role.textContent = status.role === 'demo'
    ? 'demo mesh: both roles run in this process \u00b7 every ' + status.interval
    : 'This process: ' + status.roleReason + ' \u00b7 every ' + status.interval;
  role.className = 'role' + (status.roleMismatch ? ' mismatch' : '');

  const kube = document.getElementById('kube');
  const k = status.kubernetes;
  kube.textContent = !k ? '' : !k.enabled ? 'Kubernetes features off: ' + k.reason
    : 'Kubernetes API ' + (k.apiUp === 1 ? 'reachable' : 'NOT reachable') + (k.pod ? ' \u00b7 pod ' + k.pod : '')
      + [...(k.problems || []), ...(k.ambientNotes || [])].map(p => ' \u00b7 ' + p).join('');
  kube.className = 'role' + (k && k.enabled && k.apiUp !== 1 ? ' mismatch' : '');

  const demo = document.getElementById('demo');
  demo.hidden = !status.demo;
  if (status.demo) {
    document.getElementById('policy').textContent = status.demo.policy;
    for (const b of demo.querySelectorAll('button')) {
      b.setAttribute('aria-pressed', String(b.dataset.policy === status.demo.policy));
    }
  }

  const targets = [...new Set(status.targets.map(t => t.target))].sort();
  const head = document.getElementById('matrix-head');
  head.replaceChildren(el('th', null, 'role \\ target'));
  for (const name of targets) {
    const th = el('th', null, name);
    th.scope = 'col';
    const url = status.targets.find(t => t.target === name).url;
    th.appendChild(el('span', 'target-url', url));
    const policy = status.kubernetes && status.kubernetes.enabled
      ? (status.kubernetes.targets || []).find(p => p.target === name) : null;
    if (policy) {
      const line = el('span', 'target-policy ' + (policy.mode === 'STRICT' ? 'strict' : 'weak'),
        'PeerAuthentication: ' + (policy.mode || 'unknown')
        + (policy.policy ? ' (' + policy.policy + ')' : policy.mode ? ' (Istio default)' : '')
        + ' \u00b7 injection ' + (policy.injectionEnabled ? 'on' : 'off'));
      line.title = policy.reason || '';
      th.appendChild(line);
    }
    head.appendChild(th);
  }
  const body = document.getElementById('matrix-body');
  body.replaceChildren();
  for (const r of ROLES) {
    const tr = el('tr');
    tr.id = 'row-' + r;
    const th = el('th', 'role-name', r);
    th.scope = 'row';
    tr.appendChild(th);
    for (const name of targets) {
      const td = cell(status.targets.find(t => t.target === name && t.role === r));
      td.id = 'cell-' + r + '-' + name;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  document.getElementById('updated').textContent = 'Updated ' + new Date().toLocaleTimeString();
}

async function poll() {
  try {
    const r = await fetch('api/status?history=20', { cache: 'no-cache' });
    if (r.ok) render(await r.json());
  } catch (e) {
    document.getElementById('updated').textContent = 'Status unavailable: ' + e.message;
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

for (const b of document.querySelectorAll('#demo button')) {
  b.addEventListener('click', async () => {
    const err = document.getElementById('demo-error');
    err.textContent = '';
    try {
      const r = await fetch('api/demo/policy', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ policy: b.dataset.policy }),
      });
      if (!r.ok) err.textContent = (await r.json()).error || ('HTTP ' + r.status);
    } catch (e) {
      err.textContent = e.message;
    }
  });
}

poll();
