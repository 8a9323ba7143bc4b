// The registry on the phone: search without diacritics, by code and ID; Vietnamese name order; the
// duplicate check at the door; follow-ups prefilled from the household's members.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compareNames, doorMatches, followUpData, householdData, makeIndex, nameParts, search, withChange, withTyped,
} from '../../static/field/js/registry.js';

const pao = {
  id: 'h1', version: 3, state: 'verified', village: 'Bản Pù Toong', receipt_code: 'K7M2Q8P4XR', editable: true,
  members: [
    { name: 'Lò Văn Páo', sex: 'male', dob: '1980-03-15', pid: '038080001234', eth: '03', rel: 'head' },
    { name: 'Hà Thị Pâng', sex: 'female', dob: '1983', cal: 'lunar', eth: '03', rel: 'spouse' },
    { name: 'Lò Văn Dế', sex: 'male', dob: '2010', eth: '03', rel: 'child', status: 'moved' },
  ],
  events: [{ id: 'e1', type: 'birth', state: 'verified', name: 'Lò Thị Mai', date: '2024-03-02' }],
};
const an = { id: 'h2', version: 1, state: 'submitted', village: 'Bản Lát', members: [{ name: 'Nguyễn Văn Ân', sex: 'male', dob: '1970', rel: 'head' }] };
const binh = { id: 'h3', version: 1, state: 'submitted', village: 'bản pù toong', members: [{ name: 'Nguyễn Văn Bình', sex: 'male', dob: '1990', rel: 'head', pid: '038090005555' }] };
const index = makeIndex([pao, an, binh]);

test('search finds any member without diacritics, from the start of a word', () => {
  assert.deepEqual(search(index, 'nguyen van').found.map((e) => e.id), ['h2', 'h3']);
  assert.deepEqual(search(index, 'pang').found.map((e) => e.id), ['h1']);
  assert.deepEqual(search(index, 'lo thi mai').found.map((e) => e.id), ['h1']); // an event's name
  assert.equal(search(index, 'ang').count, 0); // not the middle of "Pâng"
  assert.equal(search(index, 'van pang').count, 0); // never across two people
});

test('search by receipt code (as printed, with its dash) and by ID number', () => {
  assert.deepEqual(search(index, 'k7m2q-8p4').found.map((e) => e.id), ['h1']);
  assert.deepEqual(search(index, '038 090 005').found.map((e) => e.id), ['h3']);
});

test('households sort by the head\'s given name, then family, then middle name; villages fold together', () => {
  assert.deepEqual(nameParts('Lò Văn Páo'), ['Páo', 'Lò', 'Văn']);
  assert.ok(compareNames(nameParts('Nguyễn Văn Ân'), nameParts('Lò Văn Bình')) < 0);
  assert.ok(compareNames(nameParts('Đỗ Ăn'), nameParts('Bùi Âm')) < 0); // ă before â, as in the alphabet
  assert.deepEqual(index.entries.map((e) => e.id), ['h2', 'h3', 'h1']);
  assert.deepEqual(index.villages.map((v) => [v.name, v.entries.length]), [['Bản Lát', 1], ['Bản Pù Toong', 2]]);
});

test('the door finds the same ID anywhere and the same name and year in the same village', () => {
  const sameId = { village: 'Bản Khác', members: [{ full_name: 'Ai Đó', date_of_birth: '1991', personal_id: '038 090 005 555' }] };
  assert.deepEqual(doorMatches(index, 'household', sameId).map((m) => [m.id, m.reasons[0].kind]), [['h3', 'pid']]);
  const sameName = { village: 'Bản Pù Toong', members: [{ full_name: 'Lo Van Pao', date_of_birth: '15/03/1980'.split('/').reverse().join('-') }] };
  assert.deepEqual(doorMatches(index, 'household', sameName).map((m) => m.id), ['h1']);
  const elsewhere = { ...sameName, village: 'Bản Lát' };
  assert.equal(doorMatches(index, 'household', elsewhere).length, 0);
});

test('the door finds an event already registered, and a follow-up does not match its own household', () => {
  const birth = { village: 'Bản Pù Toong', child: { full_name: 'Lò Thị Mai', date_of_birth: '2024-03-02' } };
  const [match] = doorMatches(index, 'birth', birth, 'h1');
  assert.equal(match.id, 'e1');
  assert.equal(match.reasons[0].kind, 'event');
  const death = { village: 'Bản Pù Toong', deceased: { full_name: 'Lò Văn Páo', date_of_birth: '1980-03-15' }, date_of_death: '2025' };
  assert.equal(doorMatches(index, 'death', death, 'h1').length, 0);
  assert.equal(doorMatches(index, 'death', death).length, 1);
});

test('a birth takes its mother and father from the head and the spouse, by sex', () => {
  const data = followUpData('birth', pao);
  assert.equal(data.mother.full_name, 'Hà Thị Pâng');
  assert.equal(data.mother.dob_calendar, 'lunar');
  assert.equal(data.mother.sex, undefined); // the parent blocks have no sex field
  assert.equal(data.father.personal_id, '038080001234');
  assert.equal(data.child.ethnicity, '03');
  assert.equal(data.village, 'Bản Pù Toong');
});

test('a birth typed before the door check led to the household keeps what the household does not say', () => {
  const typed = {
    village: 'ban pu tong', commune_code: '14845',
    child: { full_name: 'Lò Thị Hoa', sex: 'female', date_of_birth: '2025-10-02', ethnicity: '' },
    mother: { full_name: 'Ha thi pang', personal_id: '038183009999' },
  };
  const data = withTyped(followUpData('birth', pao), typed);
  assert.equal(data.child.full_name, 'Lò Thị Hoa');
  assert.equal(data.child.date_of_birth, '2025-10-02');
  assert.equal(data.child.ethnicity, '03'); // left empty: the household's
  assert.equal(data.mother.full_name, 'Hà Thị Pâng'); // the person as the household holds her
  assert.equal(data.mother.personal_id, '038183009999'); // the household has none: the typed one
  assert.equal(data.mother.dob_calendar, 'lunar');
  assert.equal(data.father.full_name, 'Lò Văn Páo');
  assert.equal(data.village, 'Bản Pù Toong');
});

test('a death takes the member; a marriage of the head takes the spouse too', () => {
  assert.equal(followUpData('death', pao, pao.members[0]).deceased.full_name, 'Lò Văn Páo');
  const marriage = followUpData('marriage', pao, pao.members[1]);
  assert.equal(marriage.wife.full_name, 'Hà Thị Pâng');
  assert.equal(marriage.husband.full_name, 'Lò Văn Páo');
});

test('a household update keeps every member in the form\'s keys and makes only the change asked for', () => {
  const data = householdData(pao);
  assert.deepEqual(data.members[2], { full_name: 'Lò Văn Dế', sex: 'male', date_of_birth: '2010', ethnicity: '03', relationship: 'child', status: 'moved' });
  const died = withChange(pao, { status: 'died', at: 0, name: 'Lò Văn Páo' });
  assert.equal(died.members[0].status, 'died');
  assert.equal(withChange(pao, { status: 'died', at: 0, name: 'Someone else' }).members[0].status, undefined);
  const born = withChange(pao, { child: { full_name: 'Lò Thị Mai', sex: 'female', date_of_birth: '2024-03-02' } });
  assert.deepEqual(born.members.at(-1), { full_name: 'Lò Thị Mai', sex: 'female', date_of_birth: '2024-03-02', relationship: 'child' });
});

test('a household update keeps the commune and a member\'s foreign nationality the feed sends', () => {
  const lao = { ...pao, commune_code: '14845', members: [...pao.members, { name: 'Vang Pao', sex: 'male', dob: '2001', eth: '55', nat: 'LA', rel: 'other' }] };
  const data = householdData(lao);
  assert.equal(data.commune_code, '14845');
  assert.equal(data.members.at(-1).nationality, 'LA');
  assert.equal(data.members[0].nationality, undefined); // Việt Nam: the form's default, not written
});
