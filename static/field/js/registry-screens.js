// "Hộ đã có": the area's households offline — search, villages in Vietnamese name order, a household
// with its members and events, follow-ups prefilled from it (through the one form), an update's
// conflict with both sides, and the duplicate check before a new record is saved.
// Imported only when one of these screens is opened (app.js), never in the first load.

import { h, show, t } from './dom.js';
import { TITLES } from './forms.js';
import { subjectName } from './mine.js';
import { displayCode } from './receipt.js';
import * as reg from './registry.js';
import { EN, labels, memberLine, number, showDate, stateWord, tr } from './registry-words.js';
import { all, get, remove } from './store.js';
import { onChange, status } from './sync.js';

const body = document.body;
let offer = null; // after a follow-up was saved: {householdId, kind: 'died' | 'child', member, child, name}
// the worker opened an existing household at the door: {householdId, check, typed: {type, data, attachments}}
let chosenAtDoor = null;
let rerender = null; // {hash, run}: the registry screen shown, drawn again when a sync brought news

onChange((s) => {
  const line = document.getElementById('registry-status');
  if (line && s.phase === 'registry') line.textContent = progressText(s.done, s.total);
  if (s.phase === 'done' && rerender?.hash === location.hash) rerender.run();
});

function redrawn(run) {
  rerender = { hash: location.hash, run };
}

export function progressText(done, total) {
  return `${tr('Đang tải danh sách hộ')}: ${number(done)}/${number(total)}`;
}
EN['Đang tải danh sách hộ'] = 'Downloading the household list';

// --- the list: search and villages ----------------------------------------------------------------

async function statusLine() {
  const { households, total, at } = await reg.summary();
  if (status.phase === 'registry') return progressText(status.done, status.total);
  if (!households && !at) return tr('Chưa tải danh sách hộ. Hãy đồng bộ khi có mạng.');
  const day = { day: '2-digit', month: '2-digit', year: 'numeric' };
  const when = at ? new Date(at).toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', ...day }) : '';
  const part = total > households ? `${number(households)}/${number(total)}` : number(households);
  return `${tr('Trên máy có')} ${part} ${tr('hộ')}${when ? ` (${tr('cập nhật lúc')} ${when})` : ''}.`;
}
Object.assign(EN, { 'Chưa tải danh sách hộ. Hãy đồng bộ khi có mạng.': 'The household list is not on this phone yet. Sync when online.',
  'Trên máy có': 'On this phone:', 'cập nhật lúc': 'updated' });

function householdItem(e, query) {
  const found = query ? reg.matchedMember(e, query) : null;
  const other = found && found !== e.head ? found : null;
  return h('li', { dataset: { id: e.id } }, h('a', { href: `#household/${e.id}`, class: 'hh' },
    h('strong', { class: 'name' }, e.head.name || '—'),
    h('span', { class: 'muted' }, [query ? e.hh.village : `${(e.hh.members || []).length} ${tr('người')}`,
      displayCode(e.hh.receipt_code)].filter(Boolean).join(' · ')),
    other ? h('span', { class: 'found' }, `${other.name}${other.pid && query.replace(/\D/g, '').length >= 3 ? ` · ${other.pid}` : ''}`) : null,
    h('span', { class: `badge ${e.hh.state}` }, stateWord(e.hh.state))));
}

async function listScreen(view) {
  const line = h('p', { id: 'registry-status', role: 'status', class: 'muted' }, await statusLine());
  const results = h('div', { id: 'registry-results' });
  const villages = h('ul', { class: 'villages', id: 'villages' });
  const input = h('input', { type: 'search', id: 'registry-search', autocomplete: 'off', enterkeyhint: 'search' });
  let timer = null;
  const run = async () => {
    const idx = await reg.ready();
    const query = input.value.trim();
    body.dataset.registry = idx.entries.length;
    if (!query) {
      results.replaceChildren();
      body.dataset.results = '';
      body.dataset.searched = '';
      return;
    }
    const { found, count } = reg.search(idx, query);
    body.dataset.results = count;
    body.dataset.searched = query; // what the list now shows the answer to
    results.replaceChildren(
      count ? h('p', { class: 'muted', id: 'results-count' }, count > found.length
        ? `${number(count)} ${tr('hộ khớp; đang hiện')} ${found.length}. ${tr('Gõ thêm để thu hẹp.')}`
        : `${number(count)} ${tr('hộ khớp.')}`) : h('p', { class: 'muted', id: 'results-empty' }, tr('Không có hộ nào khớp.')),
      h('ul', { class: 'households', id: 'results' }, found.map((e) => householdItem(e, query))));
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 150); });
  const fillVillages = async () => {
    const idx = await reg.ready();
    villages.replaceChildren(...idx.villages.map((v) => h('li', {},
      h('a', { class: 'button village', href: `#households/v/${encodeURIComponent(v.key)}` },
        h('span', {}, v.name), h('span', { class: 'muted' }, `${number(v.entries.length)} ${tr('hộ')}`)))));
    line.textContent = await statusLine();
    await run();
  };
  redrawn(fillVillages);
  show(view, h('h1', {}, tr('Hộ đã có')), line,
    h('label', { for: 'registry-search' }, tr('Tìm theo tên, mã biên nhận hoặc số định danh (gõ không dấu cũng được)')), input,
    results, h('h2', {}, tr('Thôn, bản')), villages,
    h('a', { class: 'button', href: '#home' }, tr('Về trang chính')));
  await fillVillages();
}
Object.assign(EN, { 'hộ khớp; đang hiện': 'households match; showing', 'Gõ thêm để thu hẹp.': 'Type more to narrow it down.', 'hộ khớp.': 'households match.' });

async function villageScreen(view, key) {
  const idx = await reg.ready();
  const village = idx.villages.find((v) => v.key === key);
  if (!village) return listScreen(view);
  redrawn(() => villageScreen(view, key));
  body.dataset.registry = idx.entries.length;
  return show(view, h('h1', {}, village.name), h('p', { class: 'muted' }, `${number(village.entries.length)} ${tr('hộ')}`),
    h('ul', { class: 'households', id: 'village-households' }, village.entries.map((e) => householdItem(e, ''))),
    h('a', { class: 'button', href: '#households' }, tr('Hộ đã có')));
}

// The date an event is known by (the feed's `date`), for one still in the outbox.
function eventDate(r) {
  return { birth: r.data.child?.date_of_birth, death: r.data.date_of_death, marriage: r.data.marriage_date }[r.type];
}
EN['Chờ gửi'] = 'Waiting to send';

// --- one household ----------------------------------------------------------------------------------

function updateBanner(waiting) {
  if (waiting && !waiting.problem) {
    return h('p', { class: 'warn', id: 'pending-update' }, tr('Bản cập nhật hộ đang chờ gửi; «Cập nhật hộ» sửa tiếp bản đó.'));
  }
  if (waiting?.problem !== 'conflict') return null;
  return h('div', { class: 'comment', id: 'conflict-banner' },
    h('p', {}, tr('Bản cập nhật hộ trên máy không gửi được: xã đã sửa hộ này trước. Không bản nào bị ghi đè.')),
    h('a', { class: 'button', href: `#conflict/${waiting.id}` }, tr('Xem hai bản')));
}
EN['Bản cập nhật hộ đang chờ gửi; «Cập nhật hộ» sửa tiếp bản đó.'] = 'A household update is waiting to be sent; “Update the household” goes on editing it.';
EN['Bản cập nhật hộ trên máy không gửi được: xã đã sửa hộ này trước. Không bản nào bị ghi đè.'] =
  'The household update on this phone was not sent: the office changed this household first. Nothing was overwritten.';

function offerBanner(e) {
  if (offer?.householdId !== e.id || !e.hh.editable) return null;
  const text = offer.kind === 'died'
    ? `${tr('Đánh dấu')} ${offer.name} ${tr('là «Đã mất» trong danh sách thành viên của hộ?')}`
    : `${tr('Thêm')} ${offer.name} ${tr('vào danh sách thành viên của hộ?')}`;
  return h('div', { class: 'offer', id: 'offer' }, h('p', {}, text), h('div', { class: 'row actions' },
    h('a', { class: 'button primary', id: 'offer-yes', href: `#follow/household/${e.id}/${offer.kind}` }, tr('Cập nhật hộ')),
    h('button', { type: 'button', onclick: () => { offer = null; document.getElementById('offer')?.remove(); } }, tr('Không'))));
}
Object.assign(EN, { 'Đánh dấu': 'Mark', 'là «Đã mất» trong danh sách thành viên của hộ?': 'as died in the household’s members?',
  Thêm: 'Add', 'vào danh sách thành viên của hộ?': 'to the household’s members?' });

// What the worker had typed when the door check led here: kept until it is saved or dropped.
function typedBanner(view, e) {
  const typed = chosenAtDoor?.householdId === e.id ? chosenAtDoor.typed : null;
  if (!typed) return null;
  const drop = () => { chosenAtDoor.typed = null; householdScreen(view, e.id); };
  return h('div', { class: 'offer', id: 'typed' },
    h('p', {}, `${tr('Hồ sơ đang nhập dở')}: ${t(TITLES[typed.type])} · ${subjectName(typed) || '—'}. ${tr('Những gì đã nhập vẫn được giữ.')}`),
    h('div', { class: 'stack' },
      typed.type === 'household' ? null : h('a', { class: 'button primary', id: 'typed-follow', href: `#follow/${typed.type}/${e.id}` }, tr('Tiếp tục cho hộ này')),
      h('a', { class: 'button', id: 'typed-back', href: '#typed' }, tr('Quay lại hồ sơ mới')),
      h('button', { type: 'button', class: 'danger', id: 'typed-drop', onclick: drop }, tr('Bỏ hồ sơ đang nhập'))));
}
Object.assign(EN, { 'Hồ sơ đang nhập dở': 'Record being entered', 'Những gì đã nhập vẫn được giữ.': 'What was typed is kept.',
  'Tiếp tục cho hộ này': 'Continue it for this household', 'Quay lại hồ sơ mới': 'Back to the new record',
  'Bỏ hồ sơ đang nhập': 'Drop the record being entered' });

// The new record as typed before the door check, in its form again; saving it checks at the door again.
function typedScreen(view, formScreen) {
  const typed = chosenAtDoor?.typed;
  if (!typed) return listScreen(view);
  const done = (record) => {
    chosenAtDoor = null;
    return typed.type === 'household' ? `#receipt/${record.id}` : '#home';
  };
  return formScreen(typed.type, null, { data: typed.data, attachments: typed.attachments, done });
}

function ownership(hh) {
  if (hh.editable) return tr('Hộ do bạn thu thập.');
  const why = hh.mine ? tr('Xã đã xử lý hộ này nên không sửa được trên máy.') : tr('Hộ do cán bộ khác thu thập: chỉ xem.');
  return `${why} ${tr('Vẫn thêm được khai sinh, khai tử, kết hôn cho hộ.')}`;
}
Object.assign(EN, { 'Xã đã xử lý hộ này nên không sửa được trên máy.': 'The office has acted on this household, so it cannot be edited here.',
  'Hộ do cán bộ khác thu thập: chỉ xem.': 'Another worker collected this household: read only.',
  'Vẫn thêm được khai sinh, khai tử, kết hôn cho hộ.': 'Births, deaths and marriages can still be added for it.' });

async function householdScreen(view, id) {
  const e = (await reg.ready()).byId.get(id);
  if (!e) return show(view, h('p', { class: 'warn' }, tr('Không có hộ này trên máy.')), h('a', { class: 'button', href: '#households' }, tr('Hộ đã có')));
  redrawn(() => householdScreen(view, id));
  const words = await labels();
  const { hh } = e;
  const facts = [[tr('Thôn, bản'), hh.village], [tr('Địa chỉ'), hh.address], [tr('Mã biên nhận'), displayCode(hh.receipt_code)],
    [tr('Trạng thái'), stateWord(hh.state)]].filter(([, v]) => v);
  const members = (hh.members || []).map((m) => h('li', { class: `member ${m.status || 'present'}` },
    h('strong', {}, m.name), ' ', h('span', { class: `badge ${m.status || 'present'}` }, words.status[m.status || 'present']),
    h('span', { class: 'line' }, memberLine(m, words)),
    m.pid ? h('span', { class: 'line' }, `${tr('Số định danh')}: ${m.pid}`) : null));
  const sent = new Set((hh.events || []).map((ev) => ev.id));
  const waiting = (await all('outbox')).filter((r) => r.data.household_id === id && !sent.has(r.id))
    .map((r) => ({ type: r.type, name: subjectName(r), date: eventDate(r), waiting: true }));
  const events = [...(hh.events || []), ...waiting].map((ev) => h('li', {},
    h('strong', {}, `${t(TITLES[ev.type] || '')}: ${ev.name || ''}`),
    h('span', { class: 'line' }, [showDate(ev.date, ev.cal), ev.waiting ? tr('Chờ gửi') : stateWord(ev.state)].filter(Boolean).join(' · '))));
  const follow = (type, label) => h('a', { class: 'button big', id: `follow-${type}`, href: `#follow/${type}/${id}` }, tr(label));
  body.dataset.household = id;
  show(view, h('h1', { id: 'household-head' }, e.head.name),
    h('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('p', { class: hh.editable ? 'muted' : 'warn', id: 'ownership' }, ownership(hh)),
    updateBanner(await get('outbox', id)), offerBanner(e), typedBanner(view, e),
    h('h2', {}, `${tr('Thành viên')} (${members.length})`), h('ul', { class: 'people', id: 'members' }, members),
    h('h2', {}, tr('Sự kiện hộ tịch')),
    events.length ? h('ul', { class: 'people', id: 'events' }, events) : h('p', { class: 'muted' }, tr('Chưa có sự kiện nào.')),
    h('h2', {}, tr('Thêm cho hộ này')),
    h('div', { class: 'grid' }, follow('birth', 'Khai sinh'), follow('death', 'Khai tử'), follow('marriage', 'Kết hôn'),
      hh.editable ? follow('household', 'Cập nhật hộ') : null),
    h('a', { class: 'button', href: `#households/v/${encodeURIComponent(e.village)}` }, `${tr('Các hộ ở')} ${hh.village}`));
}
Object.assign(EN, { 'Không có hộ này trên máy.': 'This household is not on this phone.', 'Địa chỉ': 'Address',
  'Các hộ ở': 'Households of', người: 'people' });

// --- follow-ups: the one form, prefilled ------------------------------------------------------------

function chooser(view, type, e) {
  const people = e.hh.members || [];
  show(view, h('h1', {}, `${t(TITLES[type])} · ${e.head.name}`), h('p', {}, tr('Chọn người trong hộ')),
    h('div', { class: 'stack', id: 'choose-member' }, people.map((m, i) => h('a', { class: 'button', href: `#follow/${type}/${e.id}/${i}` },
      `${m.name}${m.dob ? ` (${showDate(m.dob, m.cal)})` : ''}`)),
    h('a', { class: 'button', href: `#follow/${type}/${e.id}/-` }, tr('Người không có trong danh sách'))),
    h('p', {}, h('a', { class: 'button', href: `#household/${e.id}` }, tr('Hủy'))));
}
EN['Hủy'] = 'Cancel';

// What to save and where to go after, for a follow-up of household `id` (formScreen's `follow`).
async function followScreen(view, [type, id, which], formScreen) {
  const e = (await reg.ready()).byId.get(id);
  if (!e || !TITLES[type] || (type === 'household' && !e.hh.editable)) return householdScreen(view, id);
  if (['death', 'marriage'].includes(type) && which === undefined) return chooser(view, type, e);
  const { hh } = e;
  const member = hh.members?.[Number(which)] || null;
  const atDoor = chosenAtDoor?.householdId === id ? chosenAtDoor : null;
  const follow = { note: `${tr('Theo hộ')} ${e.head.name}, ${hh.village}`, doorCheck: atDoor?.check || null };
  const typed = atDoor?.typed?.type === type ? atDoor.typed : null;
  if (type === 'household') {
    const change = offer?.householdId === id && offer.kind === which ? offer : {};
    // an update not sent yet is edited further, from the version it was made on: never replaced unseen
    const pending = await get('outbox', id);
    const data = pending && !pending.problem ? reg.applyChange(pending.data, change) : reg.withChange(hh, change);
    const baseVersion = pending && !pending.problem ? pending.base_version : hh.version;
    Object.assign(follow, { id, baseVersion, receiptCode: hh.receipt_code, data });
    follow.done = () => { offer = null; chosenAtDoor = null; return `#household/${id}`; };
  } else {
    const data = reg.followUpData(type, hh, member);
    Object.assign(follow, { householdId: id, data: typed ? reg.withTyped(data, typed.data) : data, attachments: typed?.attachments });
    follow.done = (record) => {
      chosenAtDoor = null;
      if (type === 'death' && member) offer = { householdId: id, kind: 'died', status: 'died', at: Number(which), name: member.name };
      if (type === 'birth') {
        const child = record.data.child;
        offer = { householdId: id, kind: 'child', child, name: child.full_name };
      }
      return `#household/${id}`;
    };
  }
  return formScreen(type, null, follow);
}
EN['Theo hộ'] = 'Following up the household of';

// --- a household update the office answered with a conflict -------------------------------------------

function sideList(members, other, words, id) {
  const key = (m) => JSON.stringify([m.name, m.dob || '', m.rel || '', m.status || 'present', m.pid || '', m.sex || '']);
  const theirs = new Set(other.map(key));
  return h('ul', { class: 'people', id }, members.map((m) => h('li', { class: theirs.has(key(m)) ? '' : 'diff' },
    h('strong', {}, m.name), ' ', h('span', { class: 'badge' }, words.status[m.status || 'present']),
    h('span', { class: 'line' }, memberLine(m, words)))));
}

// The form's member ({full_name, ...}) in the feed's keys, to compare both sides alike.
const asFeed = (m) => ({ name: m.full_name, sex: m.sex, dob: m.date_of_birth, cal: m.dob_calendar === 'lunar' ? 'lunar' : undefined,
  pid: m.personal_id, eth: m.ethnicity, rel: m.relationship, status: m.status && m.status !== 'present' ? m.status : undefined });

async function conflictScreen(view, id) {
  const waiting = await get('outbox', id);
  const e = (await reg.ready()).byId.get(id);
  if (waiting?.problem !== 'conflict') return householdScreen(view, id);
  const words = await labels();
  const mine = (waiting.data.members || []).map(asFeed);
  const theirs = e?.hh.members || [];
  const discard = async () => { await remove('outbox', id); location.hash = `#household/${id}`; };
  show(view, h('h1', {}, tr('Hai bản khác nhau')),
    h('p', {}, tr('Xã đã sửa hộ này sau khi máy tải về. Bản trên máy chưa được gửi và không ghi đè lên bản của xã; hãy chọn cách làm.')),
    h('h2', {}, `${tr('Bản trên máy (chưa gửi được)')} · ${tr('từ phiên bản')} ${waiting.base_version}`),
    sideList(mine, theirs, words, 'conflict-mine'),
    h('h2', {}, e ? `${tr('Bản hiện tại ở xã')} · ${tr('phiên bản')} ${e.hh.version} · ${stateWord(e.hh.state)}` : tr('Bản hiện tại ở xã')),
    e ? sideList(theirs, mine, words, 'conflict-theirs') : h('p', { class: 'warn' }, tr('Bản của xã chưa tải về máy; hãy đồng bộ khi có mạng.')),
    h('div', { class: 'stack' },
      e?.hh.editable ? h('a', { class: 'button primary big', id: 'conflict-redo', href: `#follow/household/${id}` }, tr('Sửa lại trên bản của xã')) : null,
      h('button', { type: 'button', class: 'danger', id: 'conflict-discard', onclick: discard }, tr('Bỏ bản sửa trên máy')),
      h('a', { class: 'button', href: `#household/${id}` }, e?.head.name || tr('Hộ đã có'))));
}
Object.assign(EN, {
  'Xã đã sửa hộ này sau khi máy tải về. Bản trên máy chưa được gửi và không ghi đè lên bản của xã; hãy chọn cách làm.':
    'The office changed this household after the phone downloaded it. The phone’s version was not sent and overwrote nothing; choose what to do.',
  'từ phiên bản': 'from version', 'phiên bản': 'version',
  'Bản của xã chưa tải về máy; hãy đồng bộ khi có mạng.': 'The office version is not on the phone yet; sync when online.',
});

// --- the duplicate check at the door ----------------------------------------------------------------

function reasonText(r, words) {
  if (r.kind === 'pid') return `${tr('Trùng số định danh')} ${r.pid}: ${r.member.name} (${words.rel[r.member.rel] || ''})`;
  if (r.kind === 'name') return `${tr('Cùng họ tên và năm sinh')}: ${r.member.name}, ${String(r.member.dob).slice(0, 4)} (${words.rel[r.member.rel] || ''})`;
  return `${tr('Đã có')} ${t(TITLES[r.event.type]).toLowerCase()}: ${r.event.name}${r.event.date ? `, ${showDate(r.event.date, r.event.cal)}` : ''} (${stateWord(r.event.state)})`;
}

// Before a new record is saved: null when the registry holds nothing like it; else the worker's answer,
// {matches, decision: 'new'} (save it with this door_check), {open: '#household/…'} or {back: true}.
export async function doorCheck(form, type, data, follow, attachments = []) {
  const idx = await reg.ready();
  const matches = reg.doorMatches(idx, type, data, follow?.householdId || null);
  if (!matches.length) return null;
  const words = await labels();
  const ids = matches.map((m) => m.id);
  form.querySelector('#door-check')?.remove();
  return new Promise((resolve) => {
    const actions = form.querySelector('.actions');
    const done = (answer) => { box.remove(); actions.hidden = false; body.dataset.doorCheck = ''; resolve(answer); };
    const open = (m) => {
      const typed = { type, data, attachments: [...attachments] };
      chosenAtDoor = { householdId: m.entry.id, check: { matches: ids, decision: 'existing', chosen: m.id }, typed };
      done({ open: `#household/${m.entry.id}` });
    };
    const box = h('section', { id: 'door-check', class: 'door', role: 'alertdialog', 'aria-labelledby': 'door-title' },
      h('h2', { id: 'door-title', tabindex: '-1' }, tr('Có thể đã có trong danh sách hộ')),
      h('p', {}, tr('Nếu đúng là người, hộ này, hãy mở hộ đã có thay vì lưu hồ sơ mới.')),
      h('ul', { class: 'people' }, matches.map((m) => h('li', { dataset: { id: m.id } },
        h('strong', {}, `${m.entry.head.name} · ${m.entry.hh.village}`),
        m.reasons.map((r) => h('span', { class: 'line' }, reasonText(r, words))),
        h('button', { type: 'button', class: 'open-existing', onclick: () => open(m) }, tr('Mở hộ này'))))),
      h('div', { class: 'stack' },
        h('button', { type: 'button', class: 'primary big', id: 'door-new', onclick: () => done({ matches: ids, decision: 'new' }) }, tr('Vẫn lưu hồ sơ mới')),
        h('button', { type: 'button', id: 'door-back', onclick: () => done({ back: true }) }, tr('Quay lại sửa'))));
    actions.before(box);
    actions.hidden = true; // the worker answers the question first
    body.dataset.doorCheck = matches.length;
    box.querySelector('h2').focus();
    box.scrollIntoView({ block: 'start' });
  });
}
EN['Nếu đúng là người, hộ này, hãy mở hộ đã có thay vì lưu hồ sơ mới.'] = 'If this is the same person or household, open the existing household instead of saving a new record.';

// --- routing ------------------------------------------------------------------------------------------

// #households, #households/v/<village>, #household/<id>, #follow/<type>/<id>[/<member>], #conflict/<id>, #typed
export function route(view, screen, args, { formScreen }) {
  rerender = null;
  body.dataset.household = '';
  if (screen === 'households') return args[0] === 'v' ? villageScreen(view, decodeURIComponent(args[1] || '')) : listScreen(view);
  if (screen === 'household') return householdScreen(view, args[0]);
  if (screen === 'follow') return followScreen(view, args, formScreen);
  if (screen === 'conflict') return conflictScreen(view, args[0]);
  if (screen === 'typed') return typedScreen(view, formScreen);
  return listScreen(view);
}
