// The demo mesh's policy switch. Built only when the status says the demo mesh runs (dev mode): outside it
// this section stays empty and hidden, so no production page carries a PERMISSIVE button.

import { el } from './format.js';

export function mount(section, page) {
  let built = null;
  page.onStatus(doc => {
    if (!doc.demo) {
      section.hidden = true;
      section.replaceChildren();
      built = null;
      return;
    }
    if (!built) built = build(section);
    section.hidden = false;
    built.policy.textContent = doc.demo.policy;
    for (const b of built.buttons) b.setAttribute('aria-pressed', String(b.dataset.policy === doc.demo.policy));
  });
}

function build(section) {
  const policy = el('strong', null, '?');
  policy.id = 'policy';
  const error = el('span', 'error');
  error.id = 'demo-error';
  const label = el('span', null, 'PeerAuthentication: ');
  label.appendChild(policy);
  const buttons = ['STRICT', 'PERMISSIVE'].map(mode => {
    const b = el('button', null, 'Set ' + mode);
    b.type = 'button';
    b.id = mode.toLowerCase();
    b.dataset.policy = mode;
    b.addEventListener('click', () => setPolicy(mode, error));
    return b;
  });
  section.replaceChildren(el('span', 'demo-label', 'demo mesh'), label, ...buttons, error);
  return { policy, buttons };
}

async function setPolicy(mode, error) {
  error.textContent = '';
  try {
    const r = await fetch('api/demo/policy', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ policy: mode }),
    });
    if (!r.ok) error.textContent = (await r.json()).error || ('HTTP ' + r.status);
  } catch (e) {
    error.textContent = e.message;
  }
}
