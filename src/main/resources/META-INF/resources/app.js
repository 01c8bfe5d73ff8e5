// The page at /: the pair's live verification matrix, from /api/status (this pod and, through it, its peer).
// Never stale green: answers that stop turn everything grey after two missed polls, and every cell turns grey
// when its latest attempt is older than three intervals. Values from the network are written as text only
// (textContent), and the Content-Security-Policy allows no inline script. Sections other than the matrix are
// modules found in the markup (js/sections.js, docs/page.md).

import * as format from './js/format.js';
import { about, freshness, headline } from './js/header.js';
import { Matrix } from './js/matrix.js';
import { derive } from './js/model.js';
import { Poller } from './js/poller.js';
import { loadSections } from './js/sections.js';

const statusListeners = [];
const tickListeners = [];
const matrix = new Matrix();
const poller = new Poller('api/status?timeline=1', answered);
let delivered = 0;

function info(now = Date.now()) {
  return { connected: !poller.stale(now), receivedAt: poller.receivedAt, lastAnswerAt: poller.lastAnswerAt,
    silenceMs: poller.silence(now), error: poller.error };
}

function safely(fn, ...args) {
  try {
    fn(...args);
  } catch (e) {
    console.error(e);
  }
}

/** What sections get: the status as it arrives, a tick every second, the freshness rule, the helpers. */
const page = Object.freeze({
  onStatus(fn) {
    statusListeners.push(fn);
    if (poller.doc) safely(fn, poller.doc, info());
  },
  onTick(fn) {
    tickListeners.push(fn);
  },
  fresh: info,
  Poller,
  format,
});

function answered() {
  if (poller.doc && poller.receivedAt !== delivered) {
    delivered = poller.receivedAt;
    for (const fn of statusListeners) safely(fn, poller.doc, info());
  }
  draw();
}

function draw() {
  const now = Date.now();
  const connected = !poller.stale(now);
  const doc = poller.doc;
  const targets = doc ? derive(doc, poller.receivedAt, now, connected) : [];
  headline(poller, targets, now, connected);
  freshness(poller, now, connected);
  if (doc) {
    about(doc, poller.receivedAt);
    matrix.render(targets, poller.receivedAt);
  }
  for (const e of document.querySelectorAll('[data-at]')) format.refresh(e, now);
  for (const fn of tickListeners) safely(fn, info(now));
}

setInterval(draw, 1000);
loadSections(page);
poller.start();
