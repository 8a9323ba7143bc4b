// The households of the worker's area on the phone (issue 13). Downloaded after each pull from
// GET /api/v1/sync/registry page by page; each page is sealed and stored with its cursor in one
// IndexedDB transaction, so a cut download resumes from the last stored cursor. An index built once
// after unlock, in memory only, answers searches, village lists and the duplicate check at the door.
// Loaded with the registry's screens, or by sync.js when it downloads: never in the first load.

import { getJson } from './api.js';
import { fold } from './mine.js';
import { all, count, currentDataKey, kv, onReset, putAll, removeRows } from './store.js';
import { digits } from './validate.js';

export const PAGE = 500;
export const MAX_MATCHES = 20; // door_check.matches holds at most 20 ids (the contract)
const collator = new Intl.Collator('vi');

// --- download -----------------------------------------------------------------------------

// A full download (cursor 0, or a page marked `reset`: the server was restored from a backup) replaces
// what the phone holds when it ends: each row carries the number of the download that wrote it (`gen`,
// in clear, like its id), and at the last page the rows of earlier downloads go. kv regFull says one is
// under way, regGot how many households it brought so far: both survive a cut, like the cursor.
// progress({done, total}): households on the phone so far, of the area's total.
export async function download(progress = () => {}) {
  let cursor = (await kv.get('regCursor')) || '0';
  let total = (await kv.get('regTotal')) || 0;
  let gen = (await kv.get('regGen')) || 0;
  let full = cursor === '0' || Boolean(await kv.get('regFull'));
  let got = full ? (await kv.get('regGot')) || 0 : 0;
  for (let page = 0; page < 1000; page++) {
    const { body } = await getJson(`/api/v1/sync/registry?cursor=${encodeURIComponent(cursor)}&limit=${PAGE}`);
    if (body.reset || (cursor === '0' && page === 0)) [gen, full, got] = [gen + 1, true, 0];
    const kept = body.households.filter((hh) => !hh.gone);
    const gone = body.households.filter((hh) => hh.gone).map((hh) => hh.id);
    got += kept.length;
    const settings = { regCursor: body.cursor, regAt: new Date().toISOString(), regGen: gen, regFull: full, regGot: got };
    if (Number.isInteger(body.total)) settings.regTotal = total = body.total;
    await putAll('registry', kept, gone, settings, { gen });
    applyPage(kept, gone);
    cursor = body.cursor;
    if (body.households.length) {
      const done = full ? got : await count('registry');
      progress({ done, total: Math.max(total, done) });
    }
    if (!body.more) {
      if (full) await endFullDownload(gen);
      break;
    }
  }
}

async function endFullDownload(gen) {
  if (await removeRows('registry', (row) => row.gen !== gen)) forget();
  await kv.set('regFull', false);
}

// What the registry screen says about the copy on the phone.
export async function summary() {
  return { households: await count('registry'), total: (await kv.get('regTotal')) || 0, at: await kv.get('regAt') };
}

// --- the index ----------------------------------------------------------------------------

let index = null;
let households = null; // the opened rows, by id: an index is remade from them after a page, not re-read
let building = null;
let arrived = []; // pages stored while a build was reading: applied on top of what it read (idempotent)
let generation = 0; // a lock, a revocation or a sign-out drops the index and any build under way
// Drop the index and any build under way (a lock, a revocation, rows removed): rebuilt from the store.
function forget() {
  generation += 1;
  [index, households, building, arrived] = [null, null, null, []];
}
onReset(forget);

// The index, built from the sealed store at its first use after unlock.
export function ready() {
  if (!index && households) index = makeIndex([...households.values()]);
  if (index) return Promise.resolve(index);
  if (!building) {
    const mine = generation;
    const key = currentDataKey();
    building = all('registry').then((rows) => {
      building = null;
      if (mine !== generation || key !== currentDataKey()) return ready();
      households = new Map(rows.map((hh) => [hh.id, hh]));
      for (const [kept, gone] of arrived.splice(0)) applyPage(kept, gone);
      return ready();
    }, (err) => { building = null; throw err; });
  }
  return building;
}

export function loaded() {
  return index;
}

function applyPage(kept, gone) {
  if (!households) { // built later from the store, which holds the page already
    if (building) arrived.push([kept, gone]);
    return;
  }
  for (const hh of kept) households.set(hh.id, hh);
  for (const id of gone) households.delete(id);
  index = null;
}

// "Lò Văn Páo" -> ["Páo", "Lò", "Văn"]: given name, family name, middle (fieldapp/vn/text.py split_name).
export function nameParts(name) {
  const words = String(name || '').trim().split(/\s+/);
  return words.length === 1 ? [words[0], '', ''] : [words.at(-1), words[0], words.slice(1, -1).join(' ')];
}

// Vietnamese name order: given name, then family name, then middle name (the server's name_sort_key).
export function compareNames(a, b) {
  for (let i = 0; i < 3; i++) {
    const order = collator.compare(a[i], b[i]);
    if (order) return order;
  }
  return 0;
}

export function headOf(hh) {
  const members = hh.members || [];
  return members.find((m) => m.rel === 'head') || members[0] || { name: '' };
}

function entryOf(hh) {
  const members = hh.members || [];
  const folded = members.map((m) => fold(m.name));
  const names = [...folded, ...(hh.events || []).map((e) => fold(e.name))];
  return {
    folded, // each member's name, folded: the door check compares them
    id: hh.id,
    hh,
    head: headOf(hh),
    parts: nameParts(headOf(hh).name),
    village: fold(hh.village),
    text: ` ${names.join(' | ')}`, // a search word starts after a space; "|" keeps two names apart
    code: hh.receipt_code || '',
    pids: members.map((m) => m.pid).filter(Boolean).join(' '),
  };
}

// A village typed several ways ("Bản Pù Toong", "bản pù toong") is shown as most wrote it, capitals first.
function spelling(counts) {
  const capitals = (name) => (name !== name.toLowerCase() ? 1 : 0);
  return [...counts].sort(([a, n], [b, m]) => m - n || capitals(b) - capitals(a))[0][0];
}

// Households by head's name, and the villages with theirs, in that order.
export function makeIndex(households) {
  const entries = households.map(entryOf).sort((a, b) => compareNames(a.parts, b.parts));
  const villages = new Map();
  for (const e of entries) {
    if (!villages.has(e.village)) villages.set(e.village, { key: e.village, spellings: new Map(), entries: [] });
    const village = villages.get(e.village);
    village.entries.push(e);
    village.spellings.set(e.hh.village, (village.spellings.get(e.hh.village) || 0) + 1);
  }
  for (const v of villages.values()) v.name = spelling(v.spellings);
  const villageList = [...villages.values()].sort((a, b) => collator.compare(a.name, b.name));
  return { entries, byId: new Map(entries.map((e) => [e.id, e])), villages: villageList };
}

// Any member's name (or event's) without diacritics, from the start of a word; a receipt code; an ID number.
export function search(idx, query, limit = 30) {
  const q = fold(query);
  if (!q) return { found: [], count: 0 };
  const bare = String(query).replace(/[\s.-]/g, '').toUpperCase();
  const byId = /^\d{3,}$/.test(bare);
  const byCode = bare.length >= 4 && /\d/.test(bare) && /[A-Z]/.test(bare);
  const needle = ` ${q}`;
  const found = [];
  let n = 0;
  for (const e of idx.entries) {
    if ((byId && e.pids.includes(bare)) || (byCode && e.code.includes(bare)) || e.text.includes(needle)) {
      n += 1;
      if (found.length < limit) found.push(e);
    }
  }
  return { found, count: n };
}

// The member a search found in a household (to show under the head's name), or null.
export function matchedMember(e, query) {
  const needle = ` ${fold(query)}`;
  const bare = String(query).replace(/[\s.-]/g, '');
  return (e.hh.members || []).find((m) => ` ${fold(m.name)}`.includes(needle) || (bare.length >= 3 && (m.pid || '').includes(bare))) || null;
}

// --- the duplicate check at the door --------------------------------------------------------

const SUBJECTS = { household: ['members'], birth: ['child'], death: ['deceased'], marriage: ['husband', 'wife'] };

function yearOf(date) {
  return String(date || '').slice(0, 4);
}

export function peopleOf(type, data) {
  return SUBJECTS[type].flatMap((key) => (key === 'members' ? data.members || [] : data[key] ? [data[key]] : []));
}

function eventName(type, data) {
  if (type === 'marriage') return `${data.husband?.full_name || ''} & ${data.wife?.full_name || ''}`;
  return peopleOf(type, data)[0]?.full_name || '';
}

function eventYear(type, data) {
  return yearOf(type === 'birth' ? data.child?.date_of_birth : type === 'death' ? data.date_of_death : data.marriage_date);
}

// Households (or their registered events) a new record may repeat: the same ID number anywhere in the
// area; the same folded name and birth year in the same village; the same event already registered.
// The household a follow-up belongs to is expected to hold its subject (a death): not a match then.
export function doorMatches(idx, type, data, householdId = null) {
  const people = peopleOf(type, data).filter((p) => p.full_name);
  const village = fold(data.village);
  const wanted = people.map((p) => ({ pid: digits(p.personal_id || ''), name: fold(p.full_name), year: yearOf(p.date_of_birth), who: p.full_name }));
  const event = type === 'household' ? null : { name: fold(eventName(type, data)), year: eventYear(type, data) };
  const matches = [];
  for (const e of idx.entries) {
    const reasons = [];
    let id = e.id;
    if (e.id !== householdId) {
      (e.hh.members || []).forEach((m, i) => {
        for (const p of wanted) {
          if (p.pid && m.pid === p.pid) reasons.push({ kind: 'pid', member: m, pid: p.pid });
          else if (e.village === village && e.folded[i] === p.name && p.year && yearOf(m.dob) === p.year) reasons.push({ kind: 'name', member: m });
        }
      });
    }
    if (event && e.village === village) {
      const same = (e.hh.events || []).find((ev) => ev.type === type && fold(ev.name) === event.name &&
        (!event.year || !ev.date || yearOf(ev.date) === event.year));
      if (same) { reasons.push({ kind: 'event', event: same }); id = same.id; }
    }
    if (reasons.length) matches.push({ id, entry: e, reasons });
    if (matches.length === MAX_MATCHES) break;
  }
  return matches;
}

// --- registry rows as form data --------------------------------------------------------------

// A member of the feed ({name, sex, dob, cal, leap, pid, eth, rel, status}) in the form's keys.
export function personData(m, { leap = true, sex = true, relationship = false } = {}) {
  const out = {
    full_name: m.name, sex: sex ? m.sex : undefined, date_of_birth: m.dob, dob_calendar: m.cal,
    dob_leap_month: leap && m.leap ? true : undefined, ethnicity: m.eth, nationality: m.nat, personal_id: m.pid,
    relationship: relationship ? m.rel : undefined, status: relationship ? m.status : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

function place(hh) {
  const out = { village: hh.village };
  if (hh.commune_code) out.commune_code = hh.commune_code;
  return out;
}

// The household as the household form's data: the start of a new version.
export function householdData(hh) {
  const out = { ...place(hh), members: (hh.members || []).map((m) => personData(m, { relationship: true })) };
  if (hh.address) out.address = hh.address;
  return out;
}

// The couple at the head of the household: by relationship (head, spouse), told apart by sex.
export function parentsOf(hh) {
  const couple = (hh.members || []).filter((m) => m.rel === 'head' || m.rel === 'spouse');
  return { mother: couple.find((m) => m.sex === 'female') || null, father: couple.find((m) => m.sex === 'male') || null };
}

const PARENT = { leap: false, sex: false };

// The form data a follow-up of this household starts from; `member` is the one it is about (death, marriage).
export function followUpData(type, hh, member = null) {
  const data = place(hh);
  if (type === 'birth') {
    const { mother, father } = parentsOf(hh);
    if (mother) data.mother = personData(mother, PARENT);
    if (father) data.father = personData(father, PARENT);
    if (mother?.eth && mother.eth === father?.eth) data.child = { ethnicity: mother.eth };
  } else if (type === 'death' && member) {
    data.deceased = personData(member);
  } else if (type === 'marriage' && member) {
    const couple = ['head', 'spouse'].includes(member.rel)
      ? (hh.members || []).find((m) => m !== member && ['head', 'spouse'].includes(m.rel)) : null;
    for (const m of [member, couple].filter(Boolean)) data[m.sex === 'female' ? 'wife' : 'husband'] = personData(m, PARENT);
  }
  return data;
}

// A follow-up's prefill with what the worker had typed into a new record before the door check led to
// this household: the household's own facts stand (its place, the people as the office holds them);
// everything else the worker wrote (the event's dates, place, cause, a newborn) is kept.
export function withTyped(prefill, typed) {
  return overlay(typed, prefill);
}

function overlay(base, over) {
  const empty = (v) => v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length);
  if (empty(over)) return base;
  const plain = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!plain(over) || !plain(base)) return over;
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = overlay(base[key], value);
  return out;
}

// A household update with one change made for the worker to check and save: a member's new status,
// or a newborn added as the head's child.
export function withChange(hh, change) {
  return applyChange(householdData(hh), change);
}

// The same change made to a household form's data (an update still waiting to be sent, say).
export function applyChange(data, { status, at, name, child }) {
  const out = { ...data, members: (data.members || []).map((m) => ({ ...m })) };
  if (status && out.members[at]?.full_name === name) out.members[at].status = status;
  if (child) out.members.push({ ...child, relationship: 'child' });
  return out;
}
