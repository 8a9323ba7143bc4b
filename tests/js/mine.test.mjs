// "Hồ sơ của tôi": search without diacritics, state filter, names without data, what came back to fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fold, matches, returnedRecords, subjectName } from '../../static/field/js/mine.js';

const household = {
  id: 'h', type: 'household', state: 'returned', receipt_code: 'K7M2Q8P4XR',
  data: { members: [{ full_name: 'Giàng A Páo', relationship: 'head' }, { full_name: 'Vàng Thị Mua', relationship: 'spouse' }] },
};

test('folding drops diacritics, đ and case', () => {
  assert.equal(fold('  Nguyễn Văn Đức '), 'nguyen van duc');
  assert.equal(fold('Lò Thị Ún'), fold('lo thi un'));
});

test('a search without diacritics finds every member, and receipt codes', () => {
  assert.ok(matches(household, false, { query: 'vang thi mua' }));
  assert.ok(matches(household, false, { query: 'Páo' }));
  assert.ok(matches(household, false, { query: 'k7m2q' }));
  assert.ok(!matches(household, false, { query: 'lo thi un' }));
});

test('the state filter tells waiting and refused records from the office states', () => {
  assert.ok(matches(household, false, { state: 'returned' }));
  assert.ok(!matches(household, false, { state: 'verified' }));
  assert.ok(matches({ ...household, problem: 'invalid' }, true, { state: 'problem' }));
  assert.ok(matches(household, true, { state: 'waiting' }));
});

test('a record pulled without its data is named by the server', () => {
  assert.equal(subjectName({ type: 'birth', subject_name: 'Lò Thị Ún' }), 'Lò Thị Ún');
  assert.equal(subjectName(household), 'Giàng A Páo');
});

test('what came back for correction leaves out what is already fixed and waiting to send', () => {
  const other = { id: 'b', type: 'birth', state: 'returned' };
  const done = { id: 'c', type: 'birth', state: 'verified' };
  assert.deepEqual(returnedRecords([household, other, done], [{ id: 'b' }]).map((r) => r.id), ['h']);
});
