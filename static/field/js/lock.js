// The lock over the app: the PIN at start and after an idle time (offline), the password login
// (first login, too many wrong PINs, a revoked device, a token near its end), choosing the PIN,
// and signing out. It covers the page under the bar (#lock), leaving what is under it as it was,
// an unsaved form included; the bar still says how many records wait.
// kv 'lock' (clear) holds the data key wrapped twice: {user_id, device_id, salt, iterations, pepper
// (a non-extractable CryptoKey), pin: wrapped by the PIN key and the pepper, or null after too many
// wrong PINs, server: wrapped by the device key, failures, expires_at, settings}.

import { login, logout } from './api.js';
import * as c from './crypto.js';
import { h, t } from './dom.js';
import { everythingExported } from './outbox.js';
import { clearSynced, count, currentDataKey, hasDataKey, kv, sealLegacy, setDataKey, wipe } from './store.js';

const DEFAULTS = { lock_minutes: 5, pin_tries: 5, renew_warning_days: 7 };
const DAY = 86400000;
const body = document.body;
let opened = () => {};
let lastActive = Date.now();
let hiddenAt = null;

// What the app does once it is open again (route, sync).
export function onOpen(callback) {
  opened = callback;
}

export function isOpen() {
  return hasDataKey() && !document.getElementById('lock');
}

function settings(lock) {
  return { ...DEFAULTS, ...(lock?.settings || {}) };
}

// --- the cover ---------------------------------------------------------------------------

function cover(state, ...children) {
  document.getElementById('lock')?.remove();
  const el = h('section', { id: 'lock', class: 'lock', role: 'dialog', 'aria-modal': 'true', dataset: { state } },
    h('div', { class: 'stack' }, ...children));
  el.setAttribute('aria-label', el.querySelector('h1')?.textContent || '');
  document.getElementById('view').inert = true;
  body.dataset.lock = state;
  body.append(el);
  el.querySelector('input')?.focus();
}

function uncover() {
  document.getElementById('lock')?.remove();
  document.getElementById('view').inert = false;
  body.dataset.lock = 'open';
}

function errorLine() {
  return h('p', { class: 'error', role: 'alert', hidden: true });
}

function say(el, message) {
  el.textContent = message ? t(message) : '';
  el.hidden = !message;
}

function pinInput(name, label) {
  return h('label', {}, t(label), h('input', {
    name, id: name, type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true,
    pattern: `[0-9]{${c.PIN_LENGTH}}`, maxlength: c.PIN_LENGTH, class: 'pin',
  }));
}

// --- start: PIN, or the password when there is no key on this phone yet ------------------------

export async function start() {
  const lock = await kv.get('lock');
  watchIdle();
  if (lock?.pin) return pinScreen(lock);
  if (!lock && (await count('outbox'))) return loginScreen(UPGRADED); // written before encryption
  return loginScreen(lock?.failures >= settings(lock).pin_tries ? LOCKED_OUT : null);
}

export async function lockNow() {
  if (!hasDataKey()) return;
  setDataKey(null);
  const lock = await kv.get('lock');
  if (lock?.pin) pinScreen(lock);
  else loginScreen(null);
}

const UPGRADED = 'Ứng dụng đã được nâng cấp để mã hóa dữ liệu trên máy. Hồ sơ chưa gửi vẫn còn nguyên; hãy đăng nhập bằng mật khẩu (cần có mạng).';
const LOCKED_OUT = 'Đã nhập sai mã PIN quá nhiều lần. Hồ sơ chưa gửi vẫn còn nguyên; hãy kết nối mạng và đăng nhập bằng mật khẩu.';

function pinScreen(lock) {
  const error = errorLine();
  const submit = async (event) => {
    event.preventDefault();
    const form = event.target;
    const pin = form.elements.pin.value;
    form.elements.pin.value = '';
    say(error, '');
    body.dataset.lock = 'checking';
    lock = (await kv.get('lock')) || lock; // another tab may have counted wrong PINs meanwhile
    if (!lock.pin) return loginScreen(LOCKED_OUT);
    const key = await unwrapWithPin(lock, pin);
    if (key) return opening(key, lock);
    lock.failures = (lock.failures || 0) + 1;
    const left = settings(lock).pin_tries - lock.failures;
    if (left <= 0) lock.pin = null; // from now on only the password, through the server, opens the data
    await kv.set('lock', lock);
    if (left <= 0) return loginScreen(LOCKED_OUT);
    body.dataset.lock = 'pin';
    say(error, `${t('Sai mã PIN. Số lần thử còn lại:')} ${left}`);
  };
  cover('pin', h('form', { id: 'unlock', class: 'stack', onsubmit: submit },
    h('h1', {}, t('Nhập mã PIN')),
    h('p', { class: 'muted' }, t('Dữ liệu trên máy được mã hóa; mã PIN mở được cả khi không có mạng.')),
    pinInput('pin', 'Mã PIN (6 chữ số)'), error,
    h('button', { type: 'submit', class: 'primary big' }, t('Mở khóa')),
    h('button', { type: 'button', class: 'link', id: 'forgot', onclick: () => loginScreen(null) },
      t('Quên mã PIN? Đăng nhập bằng mật khẩu'))));
}

async function unwrapWithPin(lock, pin) {
  try {
    return await c.unwrapWithPin(lock.pin, pin, lock.salt, lock.iterations, lock.pepper);
  } catch {
    return null;
  }
}

async function opening(key, lock) {
  lock.failures = 0;
  await kv.set('lock', lock);
  setDataKey(key);
  await sealLegacy();
  lastActive = Date.now();
  uncover();
  opened({ fresh: false });
}

// --- password login ---------------------------------------------------------------------

export async function loginScreen(message) {
  const account = await kv.get('account');
  const error = errorLine();
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, value: account?.username || '' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = async (event) => {
    event.preventDefault();
    say(error, '');
    if (!navigator.onLine) return say(error, 'Cần có mạng để đăng nhập bằng mật khẩu.');
    try {
      const lock = await kv.get('lock');
      const answer = await login(username.value.trim(), password.value, deviceName(), lock?.device_id);
      await afterLogin(answer, lock);
    } catch (err) {
      say(error, err.body?.message || err.message);
    }
  };
  cover('login', h('form', { class: 'stack', id: 'login', onsubmit: submit },
    h('h1', {}, t('Đăng nhập')),
    message ? h('p', { class: 'warn', id: 'lock-reason' }, t(message)) : null,
    h('label', {}, t('Tên đăng nhập'), username), h('label', {}, t('Mật khẩu'), password), error,
    h('button', { type: 'submit', class: 'primary big' }, t('Đăng nhập'))));
}

// The data key: the one in memory (a renewal), the one the server's device key opens (the phone
// was locked: too many wrong PINs, a forgotten PIN, a revocation), or a new one (first login).
async function afterLogin(answer, lock) {
  if (lock && lock.user_id !== answer.user.id) {
    const unsent = await count('outbox');
    if (unsent) {
      const owner = (await kv.get('account'))?.username || '';
      throw new Error(`${t('Máy này còn hồ sơ chưa gửi của người dùng')} «${owner}» (${unsent}). ${t('Người đó cần đăng nhập để gửi trước.')}`);
    }
    await wipe(); // the previous worker's cached copies go; nothing of theirs was unsent
    lock = null;
  }
  const wasLocked = !currentDataKey();
  let key = lock ? currentDataKey() : await c.newDataKey();
  if (!key) {
    try {
      key = await c.unwrap(lock.server, await c.deviceKey(answer.previous_device_key || answer.device_key));
    } catch {
      throw new Error(t('Không mở được dữ liệu đã mã hóa trên máy; hãy báo quản trị viên.'));
    }
  }
  setDataKey(key);
  const next = {
    ...(lock || {}), user_id: answer.user.id, device_id: answer.device_id, expires_at: answer.expires_at,
    settings: answer.settings, failures: 0, server: await c.wrap(key, await c.deviceKey(answer.device_key)),
  };
  if (wasLocked) next.pin = null; // a password login while locked: the worker chooses a PIN again
  await storeSession(answer, lock);
  await kv.set('lock', next);
  return next.pin ? finish(true) : pinSetupScreen(next, key);
}

// The reference data and the form definition, kept offline; fetched at login (and once more if a phone
// still holds reference data from before forms came with it).
export async function fetchReference(token) {
  const headers = { Authorization: `Bearer ${token}` };
  const get = (p) => fetch(`/api/v1/${p}`, { headers }).then((r) => (r.ok ? r.json() : null)).catch(() => null);
  // one after the other: each request notes the device as seen, and SQLite takes one writer at a time
  const reference = await get('reference');
  const forms = await get('forms');
  if (reference || forms) await kv.set('reference', { ...(await kv.get('reference')), ...reference, ...forms });
}

async function storeSession(answer, lock) {
  await kv.set('token', answer.token);
  await kv.set('user', answer.user);
  await kv.set('account', { id: answer.user.id, username: answer.user.username });
  if (lock?.device_id !== answer.device_id) await kv.set('pool', []); // a new device gets its own codes
  await kv.set('device_id', answer.device_id);
  await fetchReference(answer.token);
  if (navigator.storage?.persist) await kv.set('persisted', await navigator.storage.persist());
}

async function finish(fresh) {
  await sealLegacy();
  lastActive = Date.now();
  uncover();
  opened({ fresh });
}

// --- choosing the PIN ----------------------------------------------------------------------

function pinSetupScreen(lock, key) {
  const error = errorLine();
  const submit = async (event) => {
    event.preventDefault();
    const { pin, pin2 } = event.target.elements;
    const problem = c.pinProblem(pin.value) || (pin.value !== pin2.value ? 'Hai lần nhập mã PIN không khớp.' : null);
    if (problem) return say(error, problem);
    body.dataset.lock = 'saving';
    lock.salt = c.randomBytes(16);
    lock.iterations = c.PIN_ITERATIONS;
    lock.pepper = await c.newPepper();
    lock.pin = await c.wrapWithPin(key, pin.value, lock.salt, lock.iterations, lock.pepper);
    await kv.set('lock', lock);
    return finish(true);
  };
  cover('setpin', h('form', { id: 'pin-setup', class: 'stack', onsubmit: submit },
    h('h1', {}, t('Đặt mã PIN')),
    h('p', {}, t('Mã PIN mở ứng dụng mỗi lần khởi động và sau khi để yên một lúc, kể cả khi không có mạng. Không dùng ngày sinh hay 123456.')),
    pinInput('pin', 'Mã PIN mới (6 chữ số)'), pinInput('pin2', 'Nhập lại mã PIN'), error,
    h('button', { type: 'submit', class: 'primary big' }, t('Lưu mã PIN'))));
}

// --- idle lock ------------------------------------------------------------------------------

function watchIdle() {
  const active = () => { lastActive = Date.now(); };
  for (const type of ['pointerdown', 'keydown', 'input']) document.addEventListener(type, active, { capture: true, passive: true });
  const check = async (since) => {
    const lock = await kv.get('lock');
    if (isOpen() && lock && Date.now() - since > settings(lock).lock_minutes * 60000) lockNow();
  };
  setInterval(() => check(lastActive), 15000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') hiddenAt = Date.now();
    else if (hiddenAt) check(Math.min(hiddenAt, lastActive));
  });
}

// --- the home screen's part: the token's end, sign-out -----------------------------------------

export async function sessionWarning() {
  const lock = await kv.get('lock');
  if (!lock?.expires_at) return null;
  const end = new Date(lock.expires_at);
  const days = Math.ceil((end - Date.now()) / DAY);
  if (days > settings(lock).renew_warning_days) return null;
  const date = end.toLocaleDateString('vi-VN', { day: '2-digit', month: '2-digit', year: 'numeric' });
  return h('p', { class: 'warn', id: 'renew' },
    `${t('Đăng nhập trên máy này hết hạn sau')} ${Math.max(days, 0)} ${t('ngày')} (${date}). `,
    t('Khi có mạng, hãy đăng nhập lại bằng mật khẩu để gia hạn.'), ' ',
    h('button', { type: 'button', class: 'link', onclick: () => loginScreen(null) }, t('Đăng nhập lại')));
}

// Refused while records are unsent, unless the export made last still covers all of them; asks
// once more before it clears the phone.
export function signOutControl() {
  const line = h('p', { class: 'error', role: 'alert', id: 'sign-out-status', hidden: true });
  const click = async (event) => {
    const button = event.currentTarget;
    if (!(await everythingExported())) {
      const unsent = await count('outbox');
      return say(line, `${t('Còn')} ${unsent} ${t('hồ sơ chưa gửi. Hãy đồng bộ, hoặc xuất hồ sơ ra tệp, rồi mới đăng xuất.')}`);
    }
    if (!button.dataset.confirm) {
      button.dataset.confirm = 'true';
      button.textContent = t('Bấm lần nữa: xóa dữ liệu trên máy và đăng xuất');
      return null;
    }
    if (navigator.onLine) await logout().catch(() => {}); // offline: the office can still revoke it
    await wipe();
    localStorage.clear();
    location.replace(location.pathname);
    return null;
  };
  return h('div', { class: 'stack' }, line,
    h('button', { type: 'button', class: 'danger', id: 'sign-out', onclick: click }, t('Đăng xuất khỏi máy này')));
}

const REVOKED = 'Thiết bị này đã bị thu hồi: bản sao hồ sơ đã đồng bộ đã được xóa khỏi máy. Hồ sơ chưa gửi vẫn còn nguyên (đã mã hóa); hãy đăng nhập bằng mật khẩu để gửi nốt.';

// A revoked device: the copies of synced data go, the sealed outbox stays, the password opens it again.
export async function revoked() {
  if (hasDataKey()) await clearSynced();
  await kv.remove('token');
  setDataKey(null);
  return loginScreen(REVOKED);
}

export function deviceName() {
  const ua = navigator.userAgent;
  const android = ua.match(/Android [\d.]+(?:; ([^;)]+))?/);
  const chrome = ua.match(/Chrome\/(\d+)/);
  const system = android ? android[0].replace(/;\s*/, ' · ') : navigator.platform || 'Web';
  return `${system}${chrome ? ` · Chrome ${chrome[1]}` : ''}`.slice(0, 120);
}
