// The coverage view: every service port the sweep covers, the findings first, with why each was expected to be
// STRICT and what each endpoint did with plaintext. Everything comes from /api/coverage and is written with
// textContent: reasons hold bytes from the network and are never interpreted as HTML.
'use strict';

(() => {
  const POLL_MS = 5000;
  const section = document.getElementById('coverage');

  function node(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function since(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    return s < 120 ? s + ' s ago' : Math.round(s / 60) + ' min ago';
  }

  function headline(c) {
    if (!c.running) return ['inconclusive', 'Coverage sweep ' + c.reason];
    const n = c.ports.length;
    if (c.counts.finding) {
      return ['fail', c.counts.finding + ' of ' + n + ' service port(s) expected STRICT accept plaintext'];
    }
    if (n && c.counts.enforced === n) return ['pass', 'All ' + n + ' service port(s) reject plaintext'];
    return ['inconclusive', n + ' service port(s): ' + Object.entries(c.counts).filter(([, v]) => v)
      .map(([k, v]) => v + ' ' + k.replace('_', ' ')).join(', ')];
  }

  function observed(port) {
    const td = node('td', 'observed');
    td.appendChild(node('div', null, port.checked + ' of ' + port.readyEndpoints + ' ready endpoint(s) checked, '
      + port.plaintext + ' accepted plaintext' + (port.lastCheckMillis ? ' \u00b7 ' + since(port.lastCheckMillis) : '')));
    for (const e of port.endpoints || []) {
      const line = node('div', 'detail endpoint');
      line.appendChild(node('span', 'outcome', e.outcome || 'not checked'));
      line.appendChild(document.createTextNode(' ' + (e.pod || e.address) + ' (' + e.protection + ')'
        + (e.reason ? ': ' + e.reason : '')));
      td.appendChild(line);
    }
    return td;
  }

  function render(c) {
    section.hidden = !c.running && c.reason.startsWith('off: no namespace');
    if (section.hidden) return;
    const [cls, text] = headline(c);
    const parts = [node('h2', null, 'Coverage'), node('p', 'summary ' + cls, text)];
    parts[1].id = 'coverage-summary';
    const facts = [c.namespaces.length ? 'namespaces ' + c.namespaces.join(', ') : 'no namespace yet',
      'every ' + c.interval + ', at most ' + c.rate + ' checks/s'];
    if (c.round) {
      facts.push('round of ' + c.round.planned + ' check(s) ' + (c.round.endedAtMillis
        ? 'ended ' + since(c.round.endedAtMillis) : c.round.done + ' done, started ' + since(c.round.startedAtMillis)));
    }
    if (c.skipped && (c.skipped.servicePorts || c.skipped.endpoints)) {
      facts.push('left out by the caps: ' + c.skipped.servicePorts + ' service port(s), ' + c.skipped.endpoints
        + ' endpoint(s)');
    }
    parts.push(node('p', 'role', facts.join(' \u00b7 ')));
    for (const w of c.waiting || []) parts.push(node('p', 'role mismatch', w));
    if (c.ports.length) {
      const table = node('table');
      table.setAttribute('aria-label', 'service ports by namespace, findings first');
      const head = node('tr');
      for (const h of ['namespace', 'service', 'port', 'state', 'expected, and why', 'observed']) {
        const th = node('th', null, h);
        th.scope = 'col';
        head.appendChild(th);
      }
      table.appendChild(node('thead')).appendChild(head);
      const body = table.appendChild(node('tbody'));
      for (const p of c.ports) {
        const tr = node('tr', 'port ' + p.state);
        tr.id = 'port-' + p.namespace + '-' + p.service + '-' + p.port;
        tr.dataset.state = p.state;
        tr.appendChild(node('td', null, p.namespace));
        tr.appendChild(node('td', null, p.service));
        tr.appendChild(node('td', null, p.port + (p.portName ? ' (' + p.portName + ')' : '')));
        tr.appendChild(node('td')).appendChild(node('span', 'state ' + p.state, p.state.replace('_', ' ')));
        const why = node('td');
        why.appendChild(node('strong', null, p.expected));
        why.appendChild(node('div', 'detail', p.why));
        tr.appendChild(why);
        tr.appendChild(observed(p));
        body.appendChild(tr);
      }
      parts.push(table);
    }
    section.replaceChildren(...parts);
  }

  async function poll() {
    try {
      const r = await fetch('api/coverage', { cache: 'no-cache' });
      if (r.ok) render(await r.json());
    } catch (e) {
      section.hidden = false;
      section.replaceChildren(node('p', 'role mismatch', 'Coverage unavailable: ' + e.message));
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  poll();
})();
