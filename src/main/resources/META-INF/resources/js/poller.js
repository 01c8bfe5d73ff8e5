// Polls a JSON document and says how fresh it is. Never stale green: the caller learns when answers stop
// (two missed polls) and how old the document it holds is, counted from when it first arrived (a 304 confirms
// the document, it does not make it younger). Exported for sections that poll documents of their own.

export class Poller {
  /**
   * @param url      what to fetch (same origin)
   * @param onChange called after every answer or failure with this poller
   */
  constructor(url, onChange) {
    this.url = url;
    this.onChange = onChange;
    this.doc = null;          // the latest document
    this.etag = null;
    this.receivedAt = 0;      // browser time the document first arrived
    this.lastAnswerAt = 0;    // browser time of the latest 200 or 304
    this.failures = 0;        // polls in a row without an answer
    this.error = '';
    this.periodMs = 1000;     // set from the document (see period)
    this.timer = null;
  }

  start() {
    this.poll();
    return this;
  }

  /** Half an interval, between 0.5 and 5 s: a change shows within one poll, and polling stays cheap. */
  static period(intervalSeconds) {
    return Math.max(500, Math.min(5000, Math.round((intervalSeconds || 2) * 500)));
  }

  /** True when two polls in a row brought no answer, or none came for two periods and a bit. */
  stale(now) {
    const started = this.lastAnswerAt || this.startedAt || now;
    return this.failures >= 2 || now - started > 2 * this.periodMs + 1000;
  }

  /** Milliseconds since the latest answer (or since polling began, before the first). */
  silence(now) {
    return now - (this.lastAnswerAt || this.startedAt || now);
  }

  async poll() {
    this.startedAt = this.startedAt || Date.now();
    const controller = new AbortController();
    const abort = setTimeout(() => controller.abort(), this.periodMs + 500);
    try {
      const headers = this.etag ? { 'If-None-Match': this.etag } : {};
      const r = await fetch(this.url, { cache: 'no-store', headers, signal: controller.signal });
      const now = Date.now();
      if (r.status === 304 && this.doc) {
        this.answered(now);
      } else if (r.ok) {
        const doc = await r.json();
        this.doc = doc;
        this.etag = r.headers.get('ETag');
        this.receivedAt = Date.now();
        this.periodMs = Poller.period(doc.intervalSeconds);
        this.answered(this.receivedAt);
      } else {
        this.failed('HTTP ' + r.status);
      }
    } catch (e) {
      this.failed(e.name === 'AbortError' ? 'no answer within ' + (this.periodMs + 500) + ' ms' : e.message);
    } finally {
      clearTimeout(abort);
      this.timer = setTimeout(() => this.poll(), this.periodMs);
    }
    this.onChange(this);
  }

  answered(now) {
    this.lastAnswerAt = now;
    this.failures = 0;
    this.error = '';
  }

  failed(why) {
    this.failures++;
    this.error = why;
  }
}
