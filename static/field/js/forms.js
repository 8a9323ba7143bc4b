// The forms, rendered from the form definition the server sends with the reference data
// (fieldapp/records/forms.py, kept offline with it). Every input carries data-path, the field's place in
// the record's data ("members.*.full_name": * is the member's index), and data-key, its last part.

import { getLang, h, t } from './dom.js';
import { ABROAD, checkPersonalId, digits, normalizeText, parsePartialDate } from './validate.js';

export const TITLES = { household: 'Hộ gia đình', birth: 'Khai sinh', death: 'Khai tử', marriage: 'Kết hôn' };
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ';
let serial = 0;

const text = (value) => (value ? value[getLang()] || value.vi : '');
const lists = (ref) => ({
  ethnic: ref.ethnic_groups, nationality: ref.nationalities, relationship: ref.relationships,
  unit: ref.communes.map((c) => ({ code: c.code, name: c.name })),
});

export function expandDigits(value) {
  const s = value.trim();
  if (/^\d{8}$/.test(s)) return `${s.slice(0, 2)}/${s.slice(2, 4)}/${s.slice(4)}`;
  if (/^\d{6}$/.test(s)) return `${s.slice(0, 2)}/${s.slice(2)}`;
  return s;
}

// A receipt code typed from a paper pad: 10 symbols, the last one a check symbol (fieldapp/receipts/codes.py).
export function receiptCodeProblem(typed) {
  const code = typed.toUpperCase().replace(/[\s-]/g, '');
  if (!code) return null;
  if (code.length !== 10 || [...code].some((c) => !CODE_ALPHABET.includes(c))) {
    return 'Mã biên nhận gồm 10 ký tự (chữ và số), ví dụ K7QX2-MP9RD.';
  }
  const sum = [...code.slice(0, 9)].reduce((s, c, i) => s + (i + 1) * CODE_ALPHABET.indexOf(c), 0);
  return CODE_ALPHABET[sum % 29] === code[9] ? null : 'Mã biên nhận gõ sai: ký tự kiểm tra không khớp; hãy xem lại từng ký tự.';
}

// One control with its own label, hint and error slot, linked by aria-describedby (no label in a label).
function control(input, label, hintText, required) {
  const id = input.id || `f${++serial}`;
  input.id = id;
  const hint = hintText ? h('small', { class: 'hint', id: `${id}-hint` }, hintText) : null;
  const err = h('small', { class: 'err', id: `${id}-err`, hidden: true, role: 'status' });
  const note = input.dataset.key === 'personal_id' ? h('small', { class: 'warn', id: `${id}-warn`, hidden: true }) : null;
  if (note) input.addEventListener('change', () => abroadNote(input));
  input.setAttribute('aria-describedby', [hint?.id, err.id, note?.id].filter(Boolean).join(' '));
  if (required) input.setAttribute('aria-required', 'true');
  return h('div', { class: 'field' }, h('label', { for: id }, label, required ? ' *' : ''), input, hint, err, note);
}

// A 12-digit ID whose first three digits are no province code is right only for a birth registered abroad:
// said under the field as the office says it (static/review/form.js), never holding the save back.
function abroadNote(input) {
  const note = input.parentElement.querySelector(`[id="${input.id}-warn"]`);
  const abroad = checkPersonalId(input.value).some((p) => p.severity === 'warning');
  note.textContent = abroad ? `${t('Lưu ý:')} ${t(ABROAD).replace('{code}', digits(input.value).slice(0, 3))}` : '';
  note.hidden = !abroad;
}

// The checkbox inside its own label: the whole 44 px row is its tap target.
function check(path, label, value) {
  const box = h('input', { type: 'checkbox', id: `f${++serial}`, dataset: { path, key: path.split('.').pop(), value } });
  return h('label', { class: 'check', for: box.id }, box, t(label));
}

function select(f, options, blank) {
  return h('select', { dataset: { path: f.path, key: f.path.split('.').pop() } }, blank ? h('option', { value: '' }, '—') : null,
    options.map((o) => h('option', { value: o.code }, o.name)));
}

function widget(f, ref) {
  const key = f.path.split('.').pop();
  const label = text(f.label);
  const data = { path: f.path, key };
  if (f.kind === 'date') {
    const input = h('input', { type: 'text', dataset: { ...data, kind: 'date' }, inputmode: 'numeric', autocomplete: 'off', placeholder: '15/03/1990' });
    const box = control(input, label, text(f.help), f.required);
    if (f.calendar) {
      box.append(h('div', { class: 'row calendar' }, check(f.calendar, 'Âm lịch', 'lunar'),
        f.leap ? check(f.leap, 'Tháng nhuận', '') : null));
    }
    return box;
  }
  let input;
  if (f.kind === 'choice') {
    input = select(f, f.choices.map(([code, name]) => ({ code, name: text(name) })), !f.default);
    // what an empty value means (a member still living there): shown, and left out of the data like VN
    if (f.default) Object.assign(input, { value: f.default }).dataset.default = f.default;
  } else if (lists(ref)[f.kind]) {
    const options = lists(ref)[f.kind];
    input = select(f, options, !(f.kind === 'nationality' || (f.kind === 'unit' && options.length === 1)));
    input.value = f.kind === 'nationality' ? 'VN' : (options.length === 1 ? options[0].code : '');
  } else {
    const numeric = f.kind === 'personal_id' || f.kind === 'number';
    input = h('input', {
      type: 'text', dataset: data, autocomplete: 'off', inputmode: numeric ? 'numeric' : null,
      autocapitalize: f.kind === 'name' ? 'words' : f.kind === 'receipt_code' ? 'characters' : null,
    });
  }
  return control(input, label, text(f.help), f.required);
}

function block(section, ref, index, onRemove) {
  const legend = `${text(section.legend)}${index === null ? '' : ` ${index + 1}`}`;
  if (section.folded) { // rarely known in the field: folded away until opened
    return h('details', { class: 'folded' }, h('summary', {}, legend), section.fields.map((f) => widget(f, ref)));
  }
  const box = h('fieldset', index === null ? {} : { class: 'member', dataset: { item: '' } }, h('legend', {}, legend),
    section.fields.map((f) => widget(f, ref)));
  if (index) box.append(h('button', { type: 'button', class: 'link', onclick: () => onRemove(box) }, t('Bỏ thành viên này')));
  return box;
}

// The form's fields for a record type, without buttons (the app adds photos and buttons).
export function formFields(type, ref, memberCount = 1) {
  return ref.forms[type].map((section) => {
    if (!section.repeat) return block(section, ref, null);
    const list = h('div', { class: 'members', dataset: { list: section.repeat } });
    const renumber = () => list.querySelectorAll(':scope > fieldset > legend')
      .forEach((l, i) => { l.textContent = `${text(section.legend)} ${i + 1}`; });
    const remove = (item) => { item.remove(); renumber(); };
    const add = () => list.append(block(section, ref, list.children.length, remove));
    for (let i = 0; i < memberCount; i++) add();
    const head = list.querySelector('[data-key=relationship]');
    if (head) head.value = 'head';
    return h('div', {}, list,
      h('button', { type: 'button', class: 'add', id: 'add-member', onclick: add }, t('Thêm thành viên')),
      h('small', { class: 'err', id: `${section.repeat}-err`, hidden: true, dataset: { for: section.repeat } }));
  });
}

// "members.*.full_name" of the input in the second member -> "members.1.full_name".
function concrete(el) {
  const item = el.closest('[data-item]');
  if (!item) return el.dataset.path;
  return el.dataset.path.replace('*', [...item.parentElement.children].indexOf(item));
}

function calendarOf(el) {
  const box = el.closest('.field')?.querySelector('[data-value=lunar]');
  return box?.checked ? 'lunar' : 'solar';
}

function inputValue(el) {
  if (el.type === 'checkbox') return el.checked ? (el.dataset.value || true) : undefined;
  let value = normalizeText(el.value);
  if (!value) return undefined;
  const key = el.dataset.key;
  if (key === 'personal_id') return digits(value);
  if (key === 'nationality' && value === 'VN') return undefined; // the server's default: fewer bytes on 2G
  if (el.dataset.default === value) return undefined;
  if (key === 'book_year' || key === 'page') return /^\d+$/.test(value) ? Number(value) : value;
  if (el.dataset.kind === 'date') {
    value = expandDigits(value);
    try { value = parsePartialDate(value, calendarOf(el)).iso; } catch { /* the validator says why */ }
  }
  return value;
}

function put(data, path, value) {
  const parts = path.split('.');
  let node = data;
  parts.slice(0, -1).forEach((part, i) => {
    const next = /^\d+$/.test(parts[i + 1]) ? [] : {};
    node = node[part] ??= next;
  });
  node[parts.at(-1)] = value;
}

// The record's data in the server's shape, the item's own fields (a typed receipt code), and for
// showing errors the element of each field path.
export function collect(root) {
  const elements = {};
  const data = {};
  const item = {};
  root.querySelectorAll('[data-list]').forEach((list) => {
    data[list.dataset.list] = [...list.children].map(() => ({}));
    elements[list.dataset.list] = root.querySelector(`[data-for=${list.dataset.list}]`);
  });
  for (const el of root.querySelectorAll('[data-path]')) {
    const path = concrete(el);
    elements[path] = el;
    const value = inputValue(el);
    if (value === undefined) continue;
    if (path === 'receipt_code') item.receipt_code = value.toUpperCase().replace(/[\s-]/g, '');
    else put(data, path, value);
  }
  return { data, elements, item };
}

function flatten(value, path, out) {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}.${i}`, out));
  else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => flatten(v, path ? `${path}.${k}` : k, out));
  else out[path] = value;
  return out;
}

// Put a record's data back into a rendered form (to correct a returned record).
export function fill(root, data) {
  const { elements } = collect(root);
  for (const [path, value] of Object.entries(flatten(data, '', {}))) {
    const el = elements[path];
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = el.dataset.value ? value === el.dataset.value : Boolean(value);
    else if (el.dataset.kind === 'date') el.value = String(value).split('-').reverse().join('/');
    else el.value = value;
    if (el.dataset.key === 'personal_id') abroadNote(el);
    const folded = el.closest('details');
    if (folded) folded.open = true;
  }
}

// Messages next to their fields, the first invalid field focused; returns the ones no field could show
// and how many fields are wrong.
export function showErrors(root, elements, errors) {
  root.querySelectorAll('.err').forEach((e) => { e.hidden = true; e.textContent = ''; });
  root.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const rest = [];
  let first = null;
  for (const [rawPath, messages] of Object.entries(errors)) {
    const el = elements[rawPath.replace(/^data\./, '')];
    const slot = el?.classList?.contains('err') ? el : document.getElementById(`${el?.id}-err`);
    if (!slot) { rest.push(...messages); continue; }
    if (el.matches('input,select')) el.setAttribute('aria-invalid', 'true');
    const folded = el.closest('details');
    if (folded) folded.open = true;
    slot.textContent = messages.join(' ');
    slot.hidden = false;
    if (!first || (first.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)) first = el;
  }
  if (first?.matches('input,select')) first.focus();
  first?.scrollIntoView({ block: 'center' });
  return { rest, count: Object.keys(errors).length };
}
