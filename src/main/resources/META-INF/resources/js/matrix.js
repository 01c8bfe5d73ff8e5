// The verification matrix: one group per target, a row per role (naked, sidecar), each with its latest result,
// since when, why, what to do, and the last hour. Readable at 1,000 targets: targets needing attention first,
// enforced ones folded away when there are many, a filter, and at most PAGE groups drawn until asked for more.
// Only the parts whose content changed are rebuilt (a command being copied survives the next poll); ages
// follow the clock in place.

import { clock, el, link, patch, since } from './format.js';
import { sort } from './model.js';
import { axis, timeline } from './timeline.js';

const PAGE = 50;
const SMALL = 20; // up to this many targets, enforced ones are shown unless the user hides them
const STATE_TEXT = { enforced: 'enforced', 'not-enforced': 'NOT enforced', unproven: 'unproven', nodata: 'no data' };

export class Matrix {
  constructor() {
    this.table = document.getElementById('matrix');
    this.axis = document.getElementById('axis');
    this.filter = document.getElementById('filter');
    this.showEnforced = document.getElementById('show-enforced');
    this.counts = document.getElementById('counts');
    this.more = document.getElementById('more');
    this.limit = PAGE;
    this.groups = new Map(); // target -> its tbody
    this.chosen = false;     // the user set "show enforced" themselves
    this.targets = [];
    this.filter.addEventListener('input', () => { this.limit = PAGE; this.draw(); });
    this.showEnforced.addEventListener('change', () => { this.chosen = true; this.limit = PAGE; this.draw(); });
    this.more.addEventListener('click', () => { this.limit += PAGE; this.draw(); });
  }

  render(targets, axisEnd) {
    this.targets = targets;
    if (!this.chosen) this.showEnforced.checked = targets.length <= SMALL;
    patch(this.axis, [{ key: String(Math.floor(axisEnd / 60000)), build: () => axis(axisEnd) }]);
    this.draw();
  }

  draw() {
    const all = sort(this.targets.slice());
    const q = this.filter.value.trim().toLowerCase();
    const matching = q ? all.filter(t => t.name.includes(q) || t.url.toLowerCase().includes(q)) : all;
    const shown = this.showEnforced.checked ? matching : matching.filter(t => t.state !== 'enforced');
    const page = shown.slice(0, this.limit);
    const keep = new Set(page.map(t => t.name));
    for (const [name, g] of this.groups) {
      if (!keep.has(name)) {
        g.remove();
        this.groups.delete(name);
      }
    }
    page.forEach((t, i) => {
      let g = this.groups.get(t.name);
      if (!g) {
        g = group(t);
        this.groups.set(t.name, g);
      }
      update(g, t);
      if (this.table.tBodies[i] !== g) this.table.insertBefore(g, this.table.tBodies[i] || null);
    });
    const n = s => all.filter(t => t.state === s).length;
    this.counts.textContent = all.length + ' target' + (all.length === 1 ? '' : 's') + ': '
      + n('not-enforced') + ' not enforced, ' + (n('unproven') + n('nodata')) + ' unproven, ' + n('enforced')
      + ' enforced' + (matching.length - shown.length ? ' \u00b7 ' + (matching.length - shown.length)
        + ' enforced hidden' : '') + (q ? ' \u00b7 ' + matching.length + ' match the filter' : '');
    this.more.hidden = shown.length <= page.length;
    this.more.textContent = 'Show ' + Math.min(PAGE, shown.length - page.length) + ' more (' + page.length + ' of '
      + shown.length + ' shown)';
  }
}

const key = (...x) => JSON.stringify(x);

/** A target's rows: the target's head cell, then per role its name, its result and its last hour. */
function group(t) {
  const tb = el('tbody', 'target');
  tb.id = 'target-' + t.name;
  t.cells.forEach((c, i) => {
    const tr = el('tr');
    tr.id = 'row-' + c.role + '-' + t.name;
    if (i === 0) {
      const th = el('th', 'target-name');
      th.scope = 'rowgroup';
      th.rowSpan = t.cells.length;
      tr.appendChild(th);
    }
    const role = el('th', 'role-name');
    role.scope = 'row';
    const td = el('td');
    td.id = 'cell-' + c.role + '-' + t.name;
    tr.append(role, td, el('td', 'hour'));
    tb.appendChild(tr);
  });
  return tb;
}

function update(tb, t) {
  tb.className = 'target ' + t.state;
  patch(tb.querySelector('th.target-name'), head(t));
  t.cells.forEach((c, i) => {
    const tr = tb.rows[i];
    const [role, td, hour] = [...tr.children].slice(i === 0 ? 1 : 0);
    patch(role, [{ key: key(c.role, c.source), build: () => roleName(c) }]);
    td.className = 'cell ' + (c.grey ? 'grey' : c.kind);
    td.dataset.state = c.kind;
    if (c.grey || !c.c || !c.c.latest) delete td.dataset.verdict;
    else td.dataset.verdict = c.c.latest.verdict;
    patch(td, cell(c));
    patch(hour, [{ key: key(c.c && c.c.timeline, Math.floor((c.timelineEnd || 0) / 60000)),
      build: () => (c.c ? timeline(c.c.timeline, c.timelineEnd) : el('div', 'timeline empty')) }]);
  });
}

function roleName(c) {
  const box = el('div', null, c.role);
  box.appendChild(el('span', 'source', c.source === 'peer' ? 'peer pod' : c.source === 'own' ? 'this pod' : ''));
  return box;
}

function head(t) {
  const parts = [
    { key: key('name', t.name), build: () => el('div', 'name', t.name) },
    { key: key('url', t.url), build: () => el('div', 'target-url', t.url) },
    { key: key('state', t.state), build: () => {
      const s = el('div', 'pair-state ' + t.state, STATE_TEXT[t.state] || t.state);
      s.dataset.state = t.state;
      return s;
    } },
  ];
  if (t.reason && t.state !== 'enforced') {
    parts.push({ key: key('reason', t.reason), build: () => el('div', 'pair-reason', t.reason) });
  }
  const p = t.policy;
  if (p) parts.push({ key: key('policy', p), build: () => policy(p) });
  return parts;
}

function policy(p) {
  const line = el('div', 'target-policy ' + (p.mode === 'STRICT' ? 'strict' : p.mode ? 'weak' : 'unknown'),
    'PeerAuthentication ' + (p.mode || 'unknown') + (p.policy ? ' from ' + p.policy + ' (' + p.scope + ')'
      : p.mode ? ' (Istio default)' : '') + (p.injectionEnabled === undefined || p.injectionEnabled === null
      ? '' : ' \u00b7 injection ' + (p.injectionEnabled ? 'on' : 'off')));
  line.title = p.reason || '';
  return line;
}

/** The parts of a result cell: the latest result, since when, identities, the reason, what to do. */
function cell(c) {
  const a = c.c && c.c.latest;
  const parts = [{ key: key('top', c.kind, c.grey, a, c.at, c.message, c.unreachableSince), build: () => top(c) }];
  if (!c.grey) {
    parts.push({ key: key('since', a.verdict, c.c.verdictSinceMillis, c.c.lastPassMillis, c.shift),
      build: () => history(c) });
  } else if (c.kind === 'nodata' && a) {
    parts.push({ key: key('last', a, c.at), build: () => el('div', 'detail', 'last seen: ' + a.verdict + ' ('
      + a.outcome + ') at ' + clock(c.at)) });
  } else if (c.kind === 'unreachable') {
    parts.push({ key: key('problem', c.problem), build: () => el('div', 'detail reason', c.problem) });
  }
  if (a) {
    const ids = a.clientId ? a.clientId + ' \u2192 ' + a.serverId
      : c.c.clientId ? 'last mTLS: ' + c.c.clientId + ' \u2192 ' + c.c.serverId : null;
    if (ids) parts.push({ key: key('ids', ids), build: () => el('div', 'ids', ids) });
    parts.push({ key: key('reason', a.reason), build: () => el('div', 'detail reason', a.reason) });
  }
  if (c.advice) parts.push({ key: key('advice', c.advice), build: () => advice(c.advice) });
  return parts;
}

function top(c) {
  const box = el('div', 'top');
  const a = c.c && c.c.latest;
  if (!c.grey) {
    box.appendChild(el('span', 'verdict ' + a.verdict, a.verdict));
    box.appendChild(el('span', 'outcome', a.outcome));
    box.appendChild(el('span', 'detail', ' ' + (a.durationSeconds * 1000).toFixed(1) + ' ms \u00b7 '));
    box.appendChild(since(c.at, '', ' ago'));
  } else if (c.kind === 'nodata' && a) {
    box.appendChild(el('span', 'verdict none', 'no data'));
    box.appendChild(since(c.at, ' no data for ', ''));
  } else if (c.kind === 'unreachable') {
    box.appendChild(el('span', 'verdict none', 'unreachable'));
    box.appendChild(el('span', 'message', ' peer unreachable since ' + clock(c.unreachableSince) + ' ('));
    box.appendChild(since(c.unreachableSince, '', ')'));
  } else {
    box.appendChild(el('span', 'verdict none', 'no data'));
    box.appendChild(el('span', 'message', ' ' + c.message));
  }
  return box;
}

/** Since when the verdict holds, and the latest pass. */
function history(c) {
  const d = el('div', 'detail since');
  const a = c.c.latest;
  if (c.c.verdictSinceMillis) {
    const at = c.c.verdictSinceMillis + c.shift;
    d.appendChild(el('span', null, (a.verdict === 'pass' ? 'passing' : a.verdict === 'fail' ? 'failing'
      : 'inconclusive') + ' since ' + clock(at) + ' ('));
    d.appendChild(since(at, '', ')'));
  }
  if (a.verdict !== 'pass') {
    if (c.c.lastPassMillis) {
      const at = c.c.lastPassMillis + c.shift;
      d.appendChild(el('span', null, ' \u00b7 last pass ' + clock(at) + ' ('));
      d.appendChild(since(at, '', ' ago)'));
    } else {
      d.appendChild(el('span', null, ' \u00b7 never passed since the probe started'));
    }
  }
  return d;
}

function advice(x) {
  const box = el('div', 'advice');
  const line = el('div', 'alert-line');
  line.appendChild(el('span', null, 'Alert '));
  line.appendChild(link(x.runbook, x.alert));
  line.appendChild(el('span', null, ' (runbook)'));
  box.appendChild(line);
  if (x.note) box.appendChild(el('div', 'note', x.note));
  if (x.command) {
    box.appendChild(el('div', 'command-kind', x.commandKind === 'fix' ? 'Fix:' : 'Check:'));
    box.appendChild(el('code', 'command', x.command));
  }
  return box;
}
