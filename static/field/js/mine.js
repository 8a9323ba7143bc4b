// "Hồ sơ của tôi": the worker's records by name, filtered by state, searched with or without diacritics;
// and the home screen's call to fix the records the office sent back.
import { getLang, h, show, t } from './dom.js';
import { all, remove } from './store.js';

export const STATES = {
  submitted: 'Đã tiếp nhận', in_review: 'Đang rà soát', returned: 'Cần bổ sung', rejected: 'Từ chối',
  verified: 'Đã đối chiếu', transferred: 'Đã chuyển vào hệ thống',
};
const EN = {
  'Tất cả': 'All', 'Chờ gửi': 'Waiting to send', 'Cần sửa': 'Needs fixing', 'Trạng thái': 'State',
  'Tìm theo tên (gõ không dấu cũng được)': 'Search by name (accents optional)',
  'Không có hồ sơ nào khớp.': 'No record matches.', 'Về trang chính': 'Back to home',
  'Sửa và gửi lại': 'Fix and resend', 'Biên nhận': 'Receipt', 'Bỏ bản sửa này': 'Discard this edit',
  'Ý kiến': 'Comment', 'Hồ sơ của tôi': 'My records', 'Xem hai bản': 'See both versions',
  'Cán bộ xã đã xử lý hồ sơ này nên bản sửa trên máy không gửi được.':
    'The commune office has already acted on this record, so the edit on the phone cannot be sent.',
  ...Object.fromEntries(Object.entries(STATES).map(([k, v]) => [v, {
    submitted: 'Received', in_review: 'In review', returned: 'Needs more documents', rejected: 'Rejected',
    verified: 'Verified', transferred: 'Transferred',
  }[k]])),
};
const tr = (text) => (getLang() === 'en' && EN[text]) || t(text);

/** "Nguyễn Văn Đức" -> "nguyen van duc": what a search compares. */
export function fold(text) {
  return (text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd')
    .toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The person a record is about, from its data or, for a record pulled without data, from the server. */
export function subjectName(r) {
  const d = r.data || {};
  if (r.type === 'household') {
    const head = d.members?.find((m) => m.relationship === 'head')?.full_name;
    if (head) return head;
  } else if (r.type === 'marriage' && d.husband) {
    return `${d.husband.full_name || ''} & ${d.wife?.full_name || ''}`;
  } else if (d.child || d.deceased) {
    return (d.child || d.deceased).full_name || '';
  }
  return r.subject_name || '';
}

/** Every name a record holds, folded, for the search. */
function searchText(r) {
  const d = r.data || {};
  const people = [...(d.members || []), d.child, d.mother, d.father, d.deceased, d.husband, d.wife];
  return fold([subjectName(r), r.receipt_code, ...people.filter(Boolean).map((p) => p.full_name)].join(' '));
}

/** The state a list shows for a record: waiting (outbox), needs fixing (refused push), or the office's. */
export const shownState = (r, waiting) => (waiting ? (r.problem ? 'problem' : 'waiting') : r.state);

export function matches(r, waiting, { state = '', query = '' }) {
  if (state && shownState(r, waiting) !== state) return false;
  return !query || searchText(r).includes(fold(query));
}

/** Records the office returned for correction and that the worker has not fixed yet. */
export function returnedRecords(known, waiting) {
  const fixing = new Set(waiting.map((r) => r.id));
  return known.filter((r) => r.state === 'returned' && !fixing.has(r.id));
}

/** The home screen's line: how many came back, one tap to open them (the record itself if only one). */
export async function returnedBanner() {
  const back = returnedRecords(await all('records'), await all('outbox'));
  document.body.dataset.returned = back.length;
  if (!back.length) return null;
  const text = getLang() === 'en'
    ? `${back.length} record(s) came back for correction: fix them`
    : `${back.length} hồ sơ bị trả lại cần sửa: bấm để sửa`;
  const href = back.length === 1 ? `#edit/${back[0].id}` : '#records/returned';
  return h('a', { class: 'button big warn', id: 'returned-link', href }, text);
}

/** The list, with its state filter and search; `state` comes from the address (#records/returned). */
export async function recordsScreen(view, { state = '', titles, changed }) {
  const waiting = await all('outbox');
  const known = (await all('records')).filter((r) => !waiting.some((w) => w.id === r.id));
  known.sort((a, b) => (b.captured_at || '').localeCompare(a.captured_at || ''));
  const entries = [...waiting.map((r) => [r, true]), ...known.map((r) => [r, false])];
  const items = entries.map(([r, isWaiting]) => ({ r, isWaiting, el: item(r, isWaiting, titles, changed) }));
  const filter = { state, query: '' };
  const empty = h('p', { class: 'muted', id: 'records-empty', hidden: true }, tr('Không có hồ sơ nào khớp.'));
  const apply = () => {
    let shown = 0;
    for (const { r, isWaiting, el } of items) {
      el.hidden = !matches(r, isWaiting, filter);
      if (!el.hidden) shown += 1;
    }
    empty.hidden = shown > 0;
    document.body.dataset.shown = shown;
  };
  const search = h('input', { type: 'search', id: 'records-search', autocomplete: 'off',
    oninput: () => { filter.query = search.value; apply(); } });
  const states = { '': 'Tất cả', waiting: 'Chờ gửi', problem: 'Cần sửa', ...STATES };
  const select = h('select', { id: 'records-state', onchange: () => { filter.state = select.value; apply(); } },
    Object.entries(states).map(([value, label]) => h('option', { value, selected: value === state }, tr(label))));
  show(view, h('h1', {}, tr('Hồ sơ của tôi')),
    h('div', { class: 'stack filters' },
      h('label', {}, tr('Tìm theo tên (gõ không dấu cũng được)'), search),
      h('label', {}, tr('Trạng thái'), select)),
    h('ul', { class: 'records', id: 'records' }, items.map((i) => i.el)), empty,
    h('a', { class: 'button', href: '#home' }, tr('Về trang chính')));
  apply();
}

function item(r, isWaiting, titles, changed) {
  const label = isWaiting ? (r.problem ? 'Cần sửa' : 'Chờ gửi') : STATES[r.state] || r.state;
  const discard = async () => { await remove('outbox', r.id); await changed(); };
  return h('li', { class: `rec ${r.state || 'waiting'}`, dataset: { id: r.id, state: shownState(r, isWaiting) } },
    h('strong', { class: 'name' }, subjectName(r) || '—'), ' ',
    h('span', { class: 'muted' }, t(titles[r.type] || '')), ' ',
    h('span', { class: `badge ${r.state || ''}` }, tr(label)),
    r.problem ? h('p', { class: 'error' }, problemText(r)) : null,
    r.comment ? h('p', { class: 'comment' }, `${tr('Ý kiến')}: ${r.comment}`) : null,
    r.state === 'returned' || r.problem === 'invalid' ? h('a', { class: 'button', href: `#edit/${r.id}` }, tr('Sửa và gửi lại')) : null,
    r.problem === 'conflict' && r.type === 'household' ? h('a', { class: 'button', href: `#conflict/${r.id}` }, tr('Xem hai bản')) : null,
    r.problem === 'conflict' ? h('button', { type: 'button', class: 'danger', onclick: discard }, tr('Bỏ bản sửa này')) : null,
    r.type === 'household' && r.receipt_code ? h('a', { href: `#receipt/${r.id}` }, tr('Biên nhận')) : null);
}

function problemText(r) {
  if (r.problem === 'conflict') return tr('Cán bộ xã đã xử lý hồ sơ này nên bản sửa trên máy không gửi được.');
  return Object.values(r.errors || {}).flat().join(' ') || r.problem;
}
