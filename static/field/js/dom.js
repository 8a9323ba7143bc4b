// DOM building and the interface language: Vietnamese is the text itself, English a lookup.

const EN = {
  'Thu thập hộ tịch': 'Civil-status collection',
  'Chờ gửi': 'Waiting',
  'Đăng nhập': 'Log in',
  'Tên đăng nhập': 'Username',
  'Mật khẩu': 'Password',
  'Phiên đăng nhập đã hết hạn. Hồ sơ chờ gửi vẫn còn nguyên; hãy đăng nhập lại.':
    'Your session has expired. Waiting records are safe; please log in again.',
  'Cần có mạng để đăng nhập lần đầu.': 'A network connection is needed for the first login.',
  'Hộ gia đình': 'Household',
  'Khai sinh': 'Birth',
  'Khai tử': 'Death',
  'Kết hôn': 'Marriage',
  'Hồ sơ của tôi': 'My records',
  'Đồng bộ ngay': 'Sync now',
  'Xuất hồ sơ chưa gửi ra tệp': 'Export unsent records to a file',
  'Lưu hồ sơ': 'Save record',
  'Hủy': 'Cancel',
  'Thêm thành viên': 'Add member',
  'Bỏ thành viên này': 'Remove this member',
  'Ảnh giấy tờ': 'Document photos',
  'Biên nhận': 'Receipt',
  'In biên nhận': 'Print receipt',
  'Về trang chính': 'Home',
  'Trang chính': 'Home',
  'Địa chỉ': 'Address',
  'Sửa và gửi lại': 'Correct and resend',
  'Ngôn ngữ': 'Language',
  'Dung lượng': 'Storage',
  'Đã đồng bộ xong.': 'Sync finished.',
  'Đang đồng bộ…': 'Syncing…',
  'Không có mạng; hồ sơ được giữ an toàn trên máy.': 'Offline; records are kept safe on the phone.',
  'Có phiên bản mới; sẽ dùng khi mở lại ứng dụng.': 'A new version is ready; it will be used next time.',
  'Xã, phường': 'Commune, ward',
  'Thôn, bản, tổ dân phố': 'Village, hamlet, residential group',
  'Số nhà, đường (nếu có)': 'House number, street (if any)',
  'Các thành viên trong hộ': 'Household members',
  'Thành viên': 'Member',
  'Quan hệ với chủ hộ': 'Relationship to the head',
  'Họ, chữ đệm và tên': 'Full name',
  'Giới tính': 'Sex',
  'Ngày, tháng, năm sinh': 'Date of birth',
  'Dân tộc': 'Ethnic group',
  'Quốc tịch': 'Nationality',
  'Số định danh cá nhân': 'Personal ID number',
  'Nơi cư trú': 'Residence',
  'Người được khai sinh': 'Child',
  'Nơi sinh': 'Place of birth',
  'Mẹ': 'Mother',
  'Cha': 'Father',
  'Người đã mất': 'Deceased',
  'Ngày, tháng, năm mất': 'Date of death',
  'Nơi mất': 'Place of death',
  'Nguyên nhân mất': 'Cause of death',
  'Chồng': 'Husband',
  'Vợ': 'Wife',
  'Ngày đăng ký kết hôn': 'Date of marriage registration',
  'Sổ đăng ký (nếu có)': 'Register book (if known)',
  'Quyển số': 'Book number',
  'Năm của sổ': 'Book year',
  'Trang': 'Page',
  'Số': 'Entry number',
  'Ngày đăng ký': 'Registration date',
};

let lang = 'vi';

export function setLang(code) {
  lang = code === 'en' ? 'en' : 'vi';
  document.documentElement.lang = lang;
  const title = document.getElementById('title');
  if (title) title.textContent = t('Thu thập hộ tịch');
  const label = document.getElementById('outbox')?.firstChild;
  if (label) label.textContent = `${t('Chờ gửi')}: `;
}

export function getLang() {
  return lang;
}

export function t(text) {
  return (lang === 'en' && EN[text]) || text;
}

// h('button', {class: 'primary', onclick: fn}, 'Lưu') — attributes, listeners, children.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

export function show(view, ...children) {
  view.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
  window.scrollTo(0, 0);
}
