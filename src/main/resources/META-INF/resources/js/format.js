// Small DOM and time helpers. Text always goes in through textContent: nothing from the network is ever parsed
// as HTML.

export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

export function minute(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "12 s", "4 min", "2 h 5 min", "3 d 4 h": how long, never negative. */
export function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 120) return m + ' min';
  const h = Math.floor(m / 60);
  if (h < 48) return h + ' h ' + (m % 60) + ' min';
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}

/** An element whose text follows the clock: "<prefix><duration since at><suffix>", refreshed every second. */
export function since(at, prefix, suffix, cls) {
  const e = el('span', cls || 'age');
  e.dataset.at = String(at);
  e.dataset.prefix = prefix || '';
  e.dataset.suffix = suffix || '';
  refresh(e, Date.now());
  return e;
}

export function refresh(e, now) {
  e.textContent = e.dataset.prefix + duration(now - Number(e.dataset.at)) + e.dataset.suffix;
}

/** Only http(s) links: a value from the network never becomes a javascript: URL. */
export function link(href, text) {
  const a = el('a', null, text);
  try {
    const u = new URL(href, document.baseURI);
    if (u.protocol === 'https:' || u.protocol === 'http:') {
      a.href = u.href;
      a.rel = 'noopener noreferrer';
      a.target = '_blank';
    }
  } catch (e) {
    // not a URL: plain text
  }
  return a;
}

/**
 * Brings a parent's children in line with a list of parts, rebuilding only the parts whose key changed: what
 * did not change stays the same node, so a selection (a command being copied) survives the next poll.
 *
 * @param parts [{ key: string, build: () => Element }]
 */
export function patch(parent, parts) {
  const old = parent.partKeys || [];
  parts.forEach((p, i) => {
    const current = parent.children[i];
    if (current && old[i] === p.key) return;
    const node = p.build();
    if (current) parent.replaceChild(node, current);
    else parent.appendChild(node);
  });
  while (parent.children.length > parts.length) parent.lastElementChild.remove();
  parent.partKeys = parts.map(p => p.key);
}
