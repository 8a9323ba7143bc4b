// DOM building and the interface language: Vietnamese is the text itself, English a lookup.

const EN = {
  'Thu thập hộ tịch': 'Civil-status collection',
  'Chờ gửi': 'Waiting',
  'Đăng nhập': 'Log in',
  'Tên đăng nhập': 'Username',
  'Mật khẩu': 'Password',
  'Phiên đăng nhập đã hết hạn. Hồ sơ chờ gửi vẫn còn nguyên; hãy đăng nhập lại.':
    'Your session has expired. Waiting records are safe; please log in again.',
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
  'Chụp hoặc chọn ảnh': 'Take or choose photos',
  'Đã có ảnh:': 'Photos:',
  'Chưa có ảnh': 'No photo yet',
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
  'Thành viên': 'Member',
  'Nhập mã PIN': 'Enter your PIN',
  'Mở khóa': 'Unlock',
  'Mã PIN (6 chữ số)': 'PIN (6 digits)',
  'Dữ liệu trên máy được mã hóa; mã PIN mở được cả khi không có mạng.': 'Data on this phone is encrypted; the PIN opens it even offline.',
  'Quên mã PIN? Đăng nhập bằng mật khẩu': 'Forgot the PIN? Log in with your password',
  'Sai mã PIN. Số lần thử còn lại:': 'Wrong PIN. Tries left:',
  'Đã nhập sai mã PIN quá nhiều lần. Hồ sơ chưa gửi vẫn còn nguyên; hãy kết nối mạng và đăng nhập bằng mật khẩu.':
    'Too many wrong PINs. Unsent records are safe; connect to the network and log in with your password.',
  'Ứng dụng đã được nâng cấp để mã hóa dữ liệu trên máy. Hồ sơ chưa gửi vẫn còn nguyên; hãy đăng nhập bằng mật khẩu (cần có mạng).':
    'The app now encrypts the data on this phone. Unsent records are safe; log in with your password (needs a network).',
  'Cần có mạng để đăng nhập bằng mật khẩu.': 'Logging in with the password needs a network connection.',
  'Đặt mã PIN': 'Choose a PIN',
  'Mã PIN mở ứng dụng mỗi lần khởi động và sau khi để yên một lúc, kể cả khi không có mạng. Không dùng ngày sinh hay 123456.':
    'The PIN opens the app at every start and after a while unused, even offline. Do not use a birth date or 123456.',
  'Mã PIN mới (6 chữ số)': 'New PIN (6 digits)',
  'Nhập lại mã PIN': 'PIN again',
  'Lưu mã PIN': 'Save the PIN',
  'Mã PIN gồm đúng 6 chữ số.': 'The PIN is exactly 6 digits.',
  'Mã PIN quá dễ đoán (lặp lại hoặc liên tiếp); hãy chọn mã khác.': 'That PIN is too easy to guess (repeated or consecutive digits); choose another.',
  'Hai lần nhập mã PIN không khớp.': 'The two PINs differ.',
  'Máy này còn hồ sơ chưa gửi của người dùng': 'This phone still holds unsent records of user',
  'Người đó cần đăng nhập để gửi trước.': 'That user must log in and send them first.',
  'Không mở được dữ liệu đã mã hóa trên máy; hãy báo quản trị viên.': 'The encrypted data on this phone cannot be opened; tell the administrator.',
  'Thiết bị này đã bị thu hồi: bản sao hồ sơ đã đồng bộ đã được xóa khỏi máy. Hồ sơ chưa gửi vẫn còn nguyên (đã mã hóa); hãy đăng nhập bằng mật khẩu để gửi nốt.':
    'This device was revoked: copies of synced records were removed. Unsent records are safe (encrypted); log in with your password to send them.',
  'Đăng nhập trên máy này hết hạn sau': 'The login on this phone ends in',
  'ngày': 'days',
  'Khi có mạng, hãy đăng nhập lại bằng mật khẩu để gia hạn.': 'When online, log in again with your password to renew it.',
  'Đăng nhập lại': 'Log in again',
  'Đăng xuất khỏi máy này': 'Sign out of this phone',
  'Bấm lần nữa: xóa dữ liệu trên máy và đăng xuất': 'Tap again: clear this phone and sign out',
  'Còn': 'Still',
  'hồ sơ chưa gửi. Hãy đồng bộ, hoặc xuất hồ sơ ra tệp, rồi mới đăng xuất.': 'unsent records. Sync, or export them to a file, before signing out.',
  'Âm lịch': 'Lunar calendar',
  'Tháng nhuận': 'Leap month',
  'Lưu ý:': 'Note:',
  'Mã {code} ở đầu số định danh không phải mã tỉnh: chỉ đúng khi người này đăng ký khai sinh ở nước ngoài (mã quốc gia). Hãy đối chiếu lại với giấy tờ':
    'The code {code} at the start of the personal ID number is no province: it is right only when this person’s birth was registered abroad (a country code). Check the number against the papers',
  'trường cần sửa.': 'field(s) to correct.',
  'Đã lưu hồ sơ': 'Saved the record',
  'Hồ sơ được gửi khi có mạng.': 'It is sent when there is a network.',
  'Cần kết nối mạng một lần để tải biểu mẫu; hãy đồng bộ.': 'The forms need one connection to download; please sync.',
  'Hộ đã có': 'Known households',
  'Đang tải danh sách hộ': 'Downloading the household list',
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
