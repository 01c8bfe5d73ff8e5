// The last hour of one cell, left to right (oldest first), one square per minute: the worst verdict of the
// minute, a marker where the outcome changed, a gap where there was no attempt. From the 60 characters of
// /api/status?timeline=1: p/i/f/- , upper case where the outcome changed.

import { el, minute } from './format.js';

const KIND = { p: 'pass', i: 'inconclusive', f: 'fail', '-': 'none' };
export const MINUTES = 60;

/**
 * @param text the 60 characters
 * @param end  browser time of the document's generation: the last square is that minute
 */
export function timeline(text, end) {
  const box = el('div', 'timeline');
  if (!text || text.length !== MINUTES) {
    box.classList.add('empty');
    return box;
  }
  box.setAttribute('role', 'img');
  const last = Math.floor(end / 60000);
  let changes = 0;
  for (let i = 0; i < MINUTES; i++) {
    const ch = text[i];
    const kind = KIND[ch.toLowerCase()] || 'none';
    const slot = el('span', 'slot ' + kind);
    const changed = ch !== ch.toLowerCase();
    if (changed) {
      slot.classList.add('changed');
      changes++;
    }
    slot.title = minute((last - MINUTES + 1 + i) * 60000) + ' ' + (kind === 'none' ? 'no attempt' : kind)
      + (changed ? ', outcome changed' : '');
    box.appendChild(slot);
  }
  box.setAttribute('aria-label', 'last hour, one square per minute, oldest first; ' + changes
    + ' minute(s) with an outcome change');
  return box;
}

/** The time axis under the timeline column's header: five clock times from an hour ago to now. */
export function axis(end) {
  const box = el('div', 'axis');
  const last = Math.floor(end / 60000);
  for (const back of [59, 45, 30, 15, 0]) {
    box.appendChild(el('span', null, back === 0 ? 'now' : minute((last - back) * 60000)));
  }
  return box;
}
