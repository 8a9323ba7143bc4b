// The register keying page: focus on the entry number when the page opens (or on the first field the
// server refused); pages turned from the keyboard (Alt + PageDown / PageUp) without losing what is
// being typed; entries saved in the background (no page load between entries): the values registers
// repeat stay, the rest is cleared, the next number is suggested; a refused entry keeps everything typed
// and names its fields.

import { abroadWarning } from './form.js';
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

const status = document.getElementById('keying-status');

function say(message, ok) {
  status.textContent = message;
  status.className = `flash ${ok ? 'flash-success' : 'flash-error'}`;
  status.hidden = false;
  document.querySelectorAll('main > .flash').forEach((old) => old.remove()); // the page's own, now stale
}

function clearErrors() {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((el) => el.remove());
  form.querySelectorAll('.field.invalid').forEach((el) => el.classList.remove('invalid'));
}

function showErrors(errors) {
  let first = null;
  for (const [path, messages] of Object.entries(errors)) {
    const input = document.getElementById(path === 'entry_number' ? path : `f-${path.replace(/\./g, '-')}`);
    if (!input) continue;
    const slot = document.createElement('small');
    slot.className = 'field-error';
    slot.id = `${input.id}-err`;
    slot.textContent = messages.join(' ');
    input.closest('.field').append(slot);
    input.closest('.field').classList.add('invalid');
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', `${input.id}-hint ${slot.id}`);
    first ||= input;
  }
  document.getElementById('form-status').textContent = `${Object.keys(errors).length} ${form.dataset.errorsWord}`;
  (first || document.getElementById('entry_number')).focus();
  first?.select?.();
}

function nextEntry(answer) {
  for (const el of form.querySelectorAll('input[name^="d:"], select[name^="d:"]')) {
    if (el.type === 'checkbox') el.checked = false;
    else if (!('carry' in el.dataset)) el.value = '';
  }
  form.querySelectorAll('input[data-abroad]').forEach(abroadWarning); // the next entry starts clean
  const number = document.getElementById('entry_number');
  number.value = answer.next_entry;
  document.getElementById('today').textContent = answer.today;
  document.getElementById('book-progress').textContent = answer.progress;
  const row = document.createElement('tr');
  const link = document.createElement('a');
  link.href = answer.row.url;
  link.textContent = answer.row.name;
  row.append(...[answer.row.page, answer.row.entry_number, link, answer.row.state].map((value) => {
    const cell = document.createElement('td');
    cell.append(value);
    return cell;
  }));
  document.querySelector('#keyed tbody')?.prepend(row);
  number.focus();
  number.select();
}

let sending = false;
form?.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) return; // a second Enter while the first is on its way
  sending = true;
  performance.mark('entry-sent');
  try {
    const response = await fetch(form.action, { method: 'POST', body: new FormData(form), headers: { Accept: 'application/json' } });
    const answer = await response.json();
    clearErrors();
    say(answer.message, response.ok);
    if (response.ok) nextEntry(answer);
    else showErrors(answer.errors || {});
    performance.measure('entry-save', 'entry-sent'); // Enter to the next entry ready (bench/keying_bench.py)
  } catch {
    say(form.dataset.offline, false); // nothing is lost: the values are still in the form
  } finally {
    sending = false;
  }
});

if (form && !form.querySelector('[aria-invalid=true]')) {
  const first = document.getElementById('entry_number');
  first.focus();
  first.select();
}
