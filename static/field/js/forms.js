// The four forms in the order of the paper forms, built from the reference data kept on the phone.
// Inputs carry data-key; containers data-obj (an object) or data-list/data-item (a list of objects),
// so collecting a form gives the record's data in the server's shape.

import { h, t } from './dom.js';
import { digits, normalizeText, parsePartialDate } from './validate.js';

export const TITLES = { household: 'Hộ gia đình', birth: 'Khai sinh', death: 'Khai tử', marriage: 'Kết hôn' };
const DATE_HINT = 'năm (1990), tháng/năm (03/1990) hoặc ngày/tháng/năm (15/03/1990)';
const NUMBER_KEYS = new Set(['book_year', 'page']);
const DATE_KEYS = { date_of_birth: 'dob_calendar', date_of_death: 'dod_calendar', marriage_date: null, registered_on: null };

function field(label, input, hint) {
  return h('label', { class: 'field' }, t(label), input, hint ? h('small', { class: 'hint' }, hint) : null,
    h('small', { class: 'err', hidden: true }));
}

function text(key, label, attrs = {}) {
  return field(label, h('input', { type: 'text', dataset: { key }, autocomplete: 'off', ...attrs }));
}

function select(key, label, options, { blank = true, value } = {}) {
  const el = h('select', { dataset: { key } }, blank ? h('option', { value: '' }, '—') : null,
    options.map((o) => h('option', { value: o.code, selected: o.code === value }, o.name)));
  return field(label, el);
}

function dateField(key, label, calendarKey) {
  const parts = [h('input', { type: 'text', dataset: { key }, inputmode: 'text', placeholder: '15/03/1990' })];
  if (calendarKey) {
    const leapKey = calendarKey.replace('calendar', 'leap_month');
    parts.push(h('span', { class: 'row' },
      h('select', { dataset: { key: calendarKey }, 'aria-label': 'Loại lịch' },
        h('option', { value: 'solar' }, 'Dương lịch'), h('option', { value: 'lunar' }, 'Âm lịch')),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', dataset: { key: leapKey } }), 'Tháng nhuận')));
  }
  return field(label, h('span', { class: 'date' }, ...parts), DATE_HINT);
}

const SEXES = [{ code: 'male', name: 'Nam' }, { code: 'female', name: 'Nữ' }];

function person(ref, { withSex = true, withRelationship = false, parent = false } = {}) {
  return [
    withRelationship ? select('relationship', 'Quan hệ với chủ hộ', ref.relationships) : null,
    text('full_name', 'Họ, chữ đệm và tên', { autocapitalize: 'words' }),
    withSex && !parent ? select('sex', 'Giới tính', SEXES) : null,
    dateField('date_of_birth', 'Ngày, tháng, năm sinh', parent ? null : 'dob_calendar'),
    select('ethnicity', 'Dân tộc', ref.ethnic_groups),
    select('nationality', 'Quốc tịch', ref.nationalities, { blank: false, value: 'VN' }),
    text('personal_id', 'Số định danh cá nhân', { inputmode: 'numeric' }),
    parent ? text('residence', 'Nơi cư trú') : null,
  ];
}

export function memberBlock(ref, index, onRemove) {
  const item = h('fieldset', { class: 'member', dataset: { item: '' } },
    h('legend', {}, `${t('Thành viên')} ${index + 1}`), ...person(ref, { withRelationship: true }));
  if (index > 0) item.append(h('button', { type: 'button', class: 'link', onclick: () => onRemove(item) }, t('Bỏ thành viên này')));
  return item;
}

function group(key, legend, children) {
  return h('fieldset', { dataset: { obj: key } }, h('legend', {}, t(legend)), ...children);
}

function register() {
  return group('register', 'Sổ đăng ký (nếu có)', [
    text('book_number', 'Quyển số'), text('book_year', 'Năm của sổ', { inputmode: 'numeric' }),
    text('page', 'Trang', { inputmode: 'numeric' }), text('entry_number', 'Số'),
    dateField('registered_on', 'Ngày đăng ký', null),
  ]);
}

function place(ref, type) {
  const communes = ref.communes.map((c) => ({ code: c.code, name: c.name }));
  return [
    select('commune_code', 'Xã, phường', communes, { blank: communes.length !== 1, value: communes[0]?.code }),
    text('village', 'Thôn, bản, tổ dân phố'),
    type === 'household' ? text('address', 'Số nhà, đường (nếu có)') : null,
  ];
}

// The form's fields for a record type, without buttons (the app adds photos and buttons).
export function formFields(type, ref, memberCount = 1) {
  const parts = place(ref, type);
  if (type === 'household') {
    const list = h('div', { class: 'members', dataset: { list: 'members' } });
    const renumber = () => list.querySelectorAll('legend').forEach((l, i) => { l.textContent = `${t('Thành viên')} ${i + 1}`; });
    const remove = (item) => { item.remove(); renumber(); };
    const addMember = () => list.append(memberBlock(ref, list.children.length, remove));
    for (let i = 0; i < memberCount; i++) addMember();
    list.querySelector('[data-key=relationship]').value = 'head';
    parts.push(h('h2', {}, t('Các thành viên trong hộ')), list,
      h('button', { type: 'button', class: 'add', id: 'add-member', onclick: addMember }, t('Thêm thành viên')),
      h('small', { class: 'err', hidden: true, dataset: { for: 'members' } }));
  } else if (type === 'birth') {
    parts.push(group('child', 'Người được khai sinh', person(ref)), text('place_of_birth', 'Nơi sinh'),
      group('mother', 'Mẹ', person(ref, { parent: true })), group('father', 'Cha', person(ref, { parent: true })), register());
  } else if (type === 'death') {
    parts.push(group('deceased', 'Người đã mất', person(ref)),
      dateField('date_of_death', 'Ngày, tháng, năm mất', 'dod_calendar'),
      text('place_of_death', 'Nơi mất'), text('cause_of_death', 'Nguyên nhân mất'), register());
  } else {
    parts.push(group('husband', 'Chồng', person(ref, { withSex: false })),
      group('wife', 'Vợ', person(ref, { withSex: false })),
      dateField('marriage_date', 'Ngày đăng ký kết hôn', null), register());
  }
  return parts;
}

function inputValue(el, key) {
  if (el.type === 'checkbox') return el.checked || undefined;
  let value = normalizeText(el.value);
  if (!value) return undefined;
  if (key === 'personal_id') return digits(value);
  if (key === 'nationality' && value === 'VN') return undefined; // the server's default: fewer bytes on 2G
  if (NUMBER_KEYS.has(key)) return /^\d+$/.test(value) ? Number(value) : value;
  if (key in DATE_KEYS) {
    const scope = el.closest('[data-obj],[data-item],form');
    const calendar = DATE_KEYS[key] ? scope.querySelector(`[data-key=${DATE_KEYS[key]}]`)?.value : 'solar';
    try { value = parsePartialDate(value, calendar || 'solar').iso; } catch { /* the validator says why */ }
  }
  return value;
}

// Walks the form: returns the data and, for showing errors, the element of each field path.
export function collect(root) {
  const elements = {};
  const walk = (el, out, prefix) => {
    if (el.dataset.obj) {
      const sub = {};
      for (const c of el.children) walk(c, sub, `${prefix}${el.dataset.obj}.`);
      if (Object.keys(sub).length) out[el.dataset.obj] = sub;
      return;
    }
    if (el.dataset.list) {
      out[el.dataset.list] = [...el.children].filter((c) => 'item' in c.dataset).map((item, i) => {
        const sub = {};
        for (const c of item.children) walk(c, sub, `${prefix}${el.dataset.list}.${i}.`);
        return sub;
      });
      elements[prefix + el.dataset.list] = el.parentElement.querySelector(`[data-for=${el.dataset.list}]`);
      return;
    }
    if (el.dataset.key && el.matches('input,select,textarea')) {
      const value = inputValue(el, el.dataset.key);
      if (value !== undefined && !(el.dataset.key.endsWith('calendar') && value === 'solar')) out[el.dataset.key] = value;
      elements[prefix + el.dataset.key] = el;
      return;
    }
    for (const c of el.children) walk(c, out, prefix);
  };
  const data = {};
  walk(root, data, '');
  return { data, elements };
}

// Put a record's data back into a rendered form (to correct a returned record).
export function fill(root, data) {
  const { elements } = collect(root);
  const flat = {};
  const flatten = (value, path) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) Object.entries(value).forEach(([k, v]) => flatten(v, path ? `${path}.${k}` : k));
    else if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${path}.${i}`));
    else flat[path] = value;
  };
  flatten(data, '');
  for (const [path, value] of Object.entries(flat)) {
    const el = elements[path];
    if (!el) continue;
    if (el.type === 'checkbox') el.checked = Boolean(value);
    else el.value = value;
  }
}

// Messages next to their fields; returns the ones no field could show.
export function showErrors(root, elements, errors) {
  root.querySelectorAll('.err').forEach((e) => { e.hidden = true; e.textContent = ''; });
  root.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const rest = [];
  for (const [rawPath, messages] of Object.entries(errors)) {
    const path = rawPath.replace(/^data\./, '');
    const el = elements[path];
    const slot = el?.classList?.contains('err') ? el : el?.closest('label')?.querySelector('.err');
    if (!slot) { rest.push(...messages); continue; }
    if (el.matches('input,select')) el.setAttribute('aria-invalid', 'true');
    slot.textContent = messages.join(' ');
    slot.hidden = false;
  }
  root.querySelector('[aria-invalid], .err:not([hidden])')?.scrollIntoView({ block: 'center' });
  return rest;
}
