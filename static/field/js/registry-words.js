// Words for the registry screens: the codes a household carries (sex, relationship, ethnic group, a
// member's status, a record's state) and dates as paper writes them, in the phone's language.

import { getLang, t } from './dom.js';
import { STATES } from './mine.js';
import { kv } from './store.js';

export const STATUS = { present: 'Đang ở', moved: 'Đã chuyển đi', died: 'Đã mất' };
export const EN = {
  'Hộ đã có': 'Known households', 'Về trang chính': 'Back to home', 'Thôn, bản': 'Villages',
  'Tìm theo tên, mã biên nhận hoặc số định danh (gõ không dấu cũng được)': 'Search by name, receipt code or ID number (accents optional)',
  'Không có hộ nào khớp.': 'No household matches.', 'hộ': 'households', 'Thành viên': 'Members',
  'Sự kiện hộ tịch': 'Civil-status events', 'Chưa có sự kiện nào.': 'No events yet.', 'Thêm cho hộ này': 'Add for this household',
  'Cập nhật hộ': 'Update the household', 'Mã biên nhận': 'Receipt code', 'Trạng thái': 'State', 'sinh': 'born',
  'Số định danh': 'ID number', 'Hộ do bạn thu thập.': 'You collected this household.',
  'Đang ở': 'Living here', 'Đã chuyển đi': 'Moved away', 'Đã mất': 'Died', 'Âm lịch': 'lunar',
  'Chọn người trong hộ': 'Choose the person in the household', 'Người không có trong danh sách': 'Someone not on the list',
  'Có thể đã có trong danh sách hộ': 'This may already be in the household list',
  'Mở hộ này': 'Open this household', 'Vẫn lưu hồ sơ mới': 'Save the new record anyway', 'Quay lại sửa': 'Back to the form',
  'Trùng số định danh': 'Same ID number', 'Cùng họ tên và năm sinh': 'Same name and birth year', 'Đã có': 'Already registered:',
  'Bản trên máy (chưa gửi được)': 'On this phone (not sent)', 'Bản hiện tại ở xã': 'At the commune office now',
  'Sửa lại trên bản của xã': 'Edit again from the office version', 'Bỏ bản sửa trên máy': 'Discard the edit on this phone',
  'Hai bản khác nhau': 'Two different versions', 'Xem hai bản': 'See both versions', 'Không': 'No',
};
export const tr = (text) => (getLang() === 'en' && EN[text]) || t(text);
export const number = (n) => Number(n).toLocaleString('vi-VN');

export function labels() {
  return kv.get('reference').then((ref) => {
    const fields = (ref?.forms?.household || []).flatMap((s) => s.fields);
    const choices = (key) => Object.fromEntries((fields.find((f) => f.path === `members.*.${key}`)?.choices || [])
      .map(([code, label]) => [code, label[getLang()] || label.vi]));
    const list = (items, en) => Object.fromEntries((items || []).map((i) => [i.code, (en && getLang() === 'en' && i[en]) || i.name]));
    return {
      sex: choices('sex'), status: { ...STATUS, ...choices('status') },
      rel: list(ref?.relationships), eth: list(ref?.ethnic_groups, 'name_en'),
    };
  });
}

// "2024-03-02" -> "02/03/2024"; "2024-03" -> "03/2024"; lunar dates say so.
export function showDate(iso, cal) {
  if (!iso) return '';
  const shown = String(iso).split('-').reverse().join('/');
  return cal === 'lunar' ? `${shown} (${tr('Âm lịch').toLowerCase()})` : shown;
}

export const stateWord = (state) => tr(STATES[state] || 'Đã tiếp nhận');

export function memberLine(m, words) {
  const facts = [words.rel[m.rel], words.sex[m.sex], m.dob ? `${tr('sinh')} ${showDate(m.dob, m.cal)}` : '', words.eth[m.eth]];
  return facts.filter(Boolean).join(' · ');
}
