// The register keying page: focus on the entry number when the page opens (or on the first field the
// server refused), and pages turned from the keyboard (Alt + PageDown / PageUp) without losing what is
// being typed: the scan beside the form changes, the entry goes to the new page.

import { scanReset } from './scan.js';

const form = document.getElementById('entry-form');
const pageInput = document.getElementById('page-input');
const box = document.getElementById('scan-box');
const scans = JSON.parse(box.dataset.scans || '{}');

function turn(delta) {
  const page = Math.max(1, Number(pageInput.value) + delta);
  pageInput.value = page;
  for (const id of ['page-label', 'scan-page']) document.getElementById(id).textContent = page;
  const frame = box.querySelector('.scan-frame');
  const img = frame.querySelector('img');
  const url = scans[page];
  frame.hidden = !url;
  document.getElementById('scan-missing').hidden = Boolean(url);
  if (url) { img.src = url; img.alt = img.alt.replace(/\d+$/, page); scanReset(); }
  document.querySelector('.upload input[name=page]').value = page;
  const link = new URL(location.href);
  link.searchParams.set('page', page);
  history.replaceState(null, '', link);
}

document.addEventListener('keydown', (e) => {
  if (!e.altKey || (e.key !== 'PageDown' && e.key !== 'PageUp')) return;
  e.preventDefault();
  turn(e.key === 'PageDown' ? 1 : -1);
});
for (const [id, delta] of [['next-page', 1], ['previous-page', -1]]) {
  document.getElementById(id)?.addEventListener('click', (e) => { e.preventDefault(); turn(delta); });
}

if (form && !form.querySelector('[aria-invalid=true]')) {
  const first = document.getElementById('entry_number');
  first.focus();
  first.select();
}
