// Widgets of the forms rendered from the form definition (record editor, register keying):
// type-ahead for ethnic group / nationality / unit (name without diacritics, or the code), dates typed
// as digits (12081980 -> 12/08/1980, 081980 -> 08/1980), "a"/"n" for lunar / leap month, and after a
// refused save: focus on the first invalid field, the count of errors announced.

import { expandDigits } from './day.js';

const lists = JSON.parse(document.getElementById('choice-lists')?.textContent || '{}');

export function fold(text) {
  return String(text).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
    .toLowerCase().replace(/[^\p{L}\p{N} ]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

function names(label) {
  const parts = label.replace(')', '').split('(').map(fold).filter(Boolean);
  return [fold(label), ...parts];
}

// The same order as fieldapp/records/choices.py ranked(): the code or a whole name, then a name or a
// word of it starting with what was typed, then names containing it; spaces and hyphens do not matter.
export function matches(options, typed) {
  const key = fold(typed).replace(/ /g, '');
  if (!key) return [];
  const groups = [[], [], []];
  for (const [code, label] of options) {
    const all = names(label);
    const compact = all.map((n) => n.replace(/ /g, ''));
    const words = all.flatMap((n) => n.split(' '));
    if (key === fold(code) || compact.includes(key)) groups[0].push([code, label]);
    else if ([...compact, ...words].some((n) => n.startsWith(key))) groups[1].push([code, label]);
    else if (compact.some((n) => n.includes(key))) groups[2].push([code, label]);
  }
  return groups.flat();
}

function combobox(input) {
  const list = document.getElementById(input.getAttribute('aria-controls'));
  const options = lists[input.dataset.list] || [];
  let found = [];
  let active = -1;
  const close = () => {
    list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant');
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, n) => li.setAttribute('aria-selected', String(n === i)));
    if (i >= 0) input.setAttribute('aria-activedescendant', list.children[i].id);
  };
  const choose = (i) => { if (found[i]) input.value = found[i][1]; close(); };
  input.addEventListener('input', () => {
    found = matches(options, input.value).slice(0, 8);
    list.replaceChildren(...found.map(([code, label], i) => {
      const li = document.createElement('li');
      li.id = `${list.id}-${i}`;
      li.setAttribute('role', 'option');
      li.textContent = label;
      const small = document.createElement('span');
      small.className = 'code';
      small.textContent = code.length <= 3 ? code : '';
      li.append(small);
      li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(i); });
      return li;
    }));
    list.hidden = found.length === 0;
    input.setAttribute('aria-expanded', String(found.length > 0));
    mark(found.length ? 0 : -1);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      mark((active + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length);
    } else if (e.key === 'Enter') { e.preventDefault(); choose(active); }
    else if (e.key === 'Tab') choose(active);
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
  });
  input.addEventListener('blur', close);
}

function dateInput(input) {
  const lunar = document.getElementById(input.dataset.lunar || '');
  const leap = document.getElementById(input.dataset.leap || '');
  input.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const key = e.key.toLowerCase();
    if (key === 'a' && lunar) { e.preventDefault(); lunar.checked = !lunar.checked; if (!lunar.checked && leap) leap.checked = false; }
    else if (key === 'n' && leap) { e.preventDefault(); leap.checked = !leap.checked; if (leap.checked) lunar.checked = true; }
  });
  input.addEventListener('blur', () => { input.value = expandDigits(input.value); });
}

// A 12-digit ID whose first three digits are no province code: right only for a birth registered abroad.
// Said beside the field (linked by aria-describedby) as the clerk leaves it; never blocks the save.
const provinces = new Set((lists.personal_id || []).map(([code]) => code));

export function abroadWarning(input) {
  const digits = input.value.replace(/[\s.\-\u00a0]/g, '');
  const code = digits.slice(0, 3);
  const abroad = /^\d{12}$/.test(digits) && code !== '000' && provinces.size && !provinces.has(code);
  const field = input.closest('.field');
  const id = `${input.id}-warn`;
  let slot = document.getElementById(id);
  const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== id);
  if (abroad && !slot) {
    slot = document.createElement('small');
    slot.className = 'field-warning';
    slot.id = id;
    field.append(slot);
  }
  if (abroad) slot.textContent = input.dataset.abroad.replace('{code}', code);
  else slot?.remove();
  input.setAttribute('aria-describedby', [...ids, ...(abroad ? [id] : [])].join(' '));
}

export function announceErrors(form) {
  const invalid = form.querySelectorAll('[aria-invalid=true]');
  if (!invalid.length) return false;
  invalid[0].focus();
  invalid[0].scrollIntoView({ block: 'center' });
  invalid[0].select?.(); // typing replaces the refused value
  return true;
}

for (const form of document.querySelectorAll('form.record-form')) {
  form.querySelectorAll('input[role=combobox]').forEach(combobox);
  form.querySelectorAll('input[data-kind=date]').forEach(dateInput);
  form.querySelectorAll('input[data-abroad]').forEach((i) => i.addEventListener('change', () => abroadWarning(i)));
  // the digits typed into a date are expanded before the form goes, not only on blur
  form.addEventListener('submit', () => form.querySelectorAll('input[data-kind=date]').forEach((i) => { i.value = expandDigits(i.value); }));
  announceErrors(form);
}
