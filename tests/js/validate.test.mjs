// The phone's validation mirrors the server's rules and messages (fieldapp/vn, fieldapp/records/schemas.py).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPersonalId, parsePartialDate, validateRecord } from '../../static/field/js/validate.js';

const TODAY = new Date(2025, 10, 20);

test('partial dates: year, month/year, paper and ISO order', () => {
  assert.equal(parsePartialDate('1990', 'solar', false, TODAY).iso, '1990');
  assert.equal(parsePartialDate('03/1990', 'solar', false, TODAY).iso, '1990-03');
  assert.equal(parsePartialDate('15/3/1990', 'solar', false, TODAY).iso, '1990-03-15');
  assert.equal(parsePartialDate('1990-03-15', 'solar', false, TODAY).iso, '1990-03-15');
});

test('dates break the same rules with the same words as the server', () => {
  assert.throws(() => parsePartialDate('31/02/2001', 'solar', false, TODAY),
    { message: 'Ngày 31 không hợp lệ: tháng 2 năm 2001 có 28 ngày' });
  assert.throws(() => parsePartialDate('1800', 'solar', false, TODAY),
    { message: 'Năm 1800 không hợp lệ: năm phải từ 1850 đến 2025' });
  assert.throws(() => parsePartialDate('13/1990', 'solar', false, TODAY),
    { message: 'Tháng 13 không hợp lệ: tháng phải từ 1 đến 12' });
  assert.throws(() => parsePartialDate('hôm qua', 'solar', false, TODAY), /không đúng định dạng/);
  assert.throws(() => parsePartialDate('30/12/2025', 'solar', false, TODAY), { message: 'Ngày tháng 30/12/2025 ở tương lai' });
  assert.throws(() => parsePartialDate('2025-12', 'solar', false, TODAY), { message: 'Ngày tháng 12/2025 ở tương lai' });
  assert.throws(() => parsePartialDate('1990-03', 'solar', true, TODAY), { message: 'Chỉ ngày âm lịch mới có tháng nhuận' });
});

test('lunar dates allow day 30 and a leap month', () => {
  assert.equal(parsePartialDate('30/02/1990', 'lunar', false, TODAY).iso, '1990-02-30');
  assert.equal(parsePartialDate('05/1990', 'lunar', true, TODAY).iso, '1990-05');
  assert.throws(() => parsePartialDate('31/02/1990', 'lunar', false, TODAY),
    { message: 'Ngày âm lịch 31 không hợp lệ: ngày phải từ 1 đến 30' });
});

test('personal ID: shape, province, encoded sex and year', () => {
  assert.deepEqual(checkPersonalId('038 080 001 234', { sex: 'male', birthYears: [1980], today: TODAY }), []);
  assert.deepEqual(checkPersonalId('123456789'), []);
  assert.equal(checkPersonalId('000000000')[0].message, 'Số chứng minh nhân dân không thể toàn chữ số 0');
  assert.equal(checkPersonalId('12345')[0].message,
    'Số định danh cá nhân phải gồm 12 chữ số (số chứng minh nhân dân cũ: 9 chữ số), số đã nhập có 5 chữ số');
  assert.equal(checkPersonalId('000080001234')[0].message, 'Mã tỉnh 000 trong số định danh không tồn tại');
  assert.equal(checkPersonalId('003080001234')[0].severity, 'warning');
  const problems = checkPersonalId('038180001234', { sex: 'male', birthYears: [1979], today: TODAY });
  assert.deepEqual(problems.map((p) => p.field), ['sex', 'date_of_birth']);
  assert.equal(problems[0].message, 'Số định danh cho biết giới tính nữ nhưng hồ sơ ghi nam');
  assert.equal(problems[1].message, 'Số định danh cho biết năm sinh 1980 nhưng hồ sơ ghi năm sinh 1979');
});

test('a household needs its required fields and exactly one head', () => {
  const member = { full_name: 'Giàng A Páo', sex: 'male', date_of_birth: '1980', ethnicity: '08', relationship: 'spouse' };
  const errors = validateRecord('household', { commune_code: '14845', village: '', members: [member, { relationship: 'child' }] });
  assert.deepEqual(errors.village, ['Bắt buộc nhập.']);
  assert.deepEqual(errors['members.1.full_name'], ['Bắt buộc nhập.']);
  assert.deepEqual(errors.members, ['Hộ phải có đúng một chủ hộ.']);
  const ok = validateRecord('household', { commune_code: '14845', village: 'Bản Lát', members: [{ ...member, relationship: 'head' }] });
  assert.deepEqual(ok, {});
});

test('a death cannot come before the birth', () => {
  const deceased = { full_name: 'Sùng A Chứ', sex: 'male', date_of_birth: '1940-05', ethnicity: '08' };
  const errors = validateRecord('death', { commune_code: '14845', village: 'Bản Ón', deceased, date_of_death: '1939' });
  assert.deepEqual(errors.date_of_death, ['Ngày mất không thể trước ngày sinh.']);
});
