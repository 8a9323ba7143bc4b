// The field app: screens, routing (#home, #new/<type>, #edit/<id>, #records[/<state>], #receipt/<id>, #login;
// the registry's #households, #household/<id>, #follow/…, #conflict/<id> from registry-screens.js, loaded then),
// the outbox counter on every screen, automatic sync, and safe updates of the app itself.
// document.body.dataset carries the app's state (sw, sync, outbox) for people and tests alike.

import { getLang, h, setLang, show, t } from './dom.js';
import { TITLES, collect, fill, formFields, receiptCodeProblem, showErrors } from './forms.js';
import * as lock from './lock.js';
import { POOL_LOW, exportFile, poolSize, saveRecord, waitingCount } from './outbox.js';
import { shrinkPhoto } from './photo.js';
import { receiptView } from './receipt.js';
import { all, get, hasDataKey, kv, put, remove } from './store.js';
import { recordsScreen, returnedBanner, subjectName } from './mine.js';
import { onChange, status, syncNow } from './sync.js';
import { validateRecord } from './validate.js';

const view = document.getElementById('view');
const body = document.body;
let dirty = false;
let routed = false;
let offerUpdate = () => {};
let confirmation = ''; // shown once on the next screen after a record is saved
const REGISTRY_SCREENS = ['households', 'household', 'follow', 'conflict', 'typed'];
// The registry's screens and checks: a module of their own, fetched when first needed (precached offline).
const registryScreens = () => import('./registry-screens.js');

function notice(message) {
  const el = document.getElementById('notice');
  el.textContent = message ? t(message) : '';
  el.hidden = !message;
}

async function refreshCounter() {
  const n = await waitingCount();
  document.getElementById('outbox-count').textContent = n;
  document.getElementById('outbox').dataset.count = n;
  body.dataset.outbox = n;
}

function syncMessage(s) {
  if (s.needLogin) return 'Phiên đăng nhập đã hết hạn. Hồ sơ chờ gửi vẫn còn nguyên; hãy đăng nhập lại.';
  return {
    photos: 'Đang đồng bộ…', push: `${t('Đang đồng bộ…')} ${s.done}/${s.total}`, pull: 'Đang đồng bộ…',
    registry: `${t('Đang tải danh sách hộ')}: ${s.done?.toLocaleString('vi-VN')}/${s.total?.toLocaleString('vi-VN')}`,
    done: 'Đã đồng bộ xong.', offline: 'Không có mạng; hồ sơ được giữ an toàn trên máy.',
    retry: `Chưa gửi được (${s.error}); thử lại sau ${Math.round((s.retryIn || 0) / 1000)} giây.`,
  }[s.phase] || '';
}

onChange(async (s) => {
  body.dataset.sync = s.phase;
  await refreshCounter();
  const line = document.getElementById('sync-status');
  if (line) line.textContent = t(syncMessage(s));
  if (s.needLogin && lock.isOpen()) {
    if (s.revoked) lock.revoked();
    else lock.loginScreen(syncMessage(s));
  }
  const screen = location.hash.split('/')[0];
  if (s.phase === 'done' && ['#records', '#home', ''].includes(screen)) route();
});

// --- screens ---------------------------------------------------------------------------

async function homeScreen() {
  const user = await kv.get('user');
  const pool = await poolSize();
  const storage = h('p', { class: 'muted', id: 'storage' });
  storageInfo(storage);
  const lastSync = await kv.get('lastSync');
  show(view,
    h('h1', {}, t('Trang chính')),
    h('p', {}, `${user.full_name || user.username}${user.area ? ` · ${user.area.name}` : ''}`),
    await lock.sessionWarning(),
    await returnedBanner(),
    h('div', { class: 'grid' }, Object.entries(TITLES).map(([type, title]) =>
      h('a', { class: 'button big', href: `#new/${type}`, id: `new-${type}` }, t(title)))),
    h('a', { class: 'button big', href: '#households', id: 'households-link' }, t('Hộ đã có')),
    h('p', { id: 'sync-status', role: 'status' }, t(syncMessage(status))),
    h('button', { type: 'button', class: 'primary big', id: 'sync', onclick: () => syncNow() }, t('Đồng bộ ngay')),
    lastSync ? h('p', { class: 'muted' }, `Lần đồng bộ cuối: ${new Date(lastSync).toLocaleString('vi-VN')}`) : null,
    h('p', { id: 'pool', class: pool < POOL_LOW ? 'warn' : 'muted' },
      pool < POOL_LOW ? `Sắp hết mã biên nhận (còn ${pool}); hãy đồng bộ khi có mạng.` : `Mã biên nhận còn: ${pool}`),
    h('a', { class: 'button', href: '#records', id: 'records-link' }, t('Hồ sơ của tôi')),
    h('button', { type: 'button', id: 'export', onclick: exportOutbox }, t('Xuất hồ sơ chưa gửi ra tệp')),
    storage, lock.signOutControl(),
    h('p', {}, h('button', { type: 'button', class: 'link', id: 'lang', onclick: toggleLang },
      getLang() === 'vi' ? 'English' : 'Tiếng Việt')));
}

async function storageInfo(el) {
  const persisted = navigator.storage?.persisted ? await navigator.storage.persisted() : false;
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : null;
  const free = estimate ? Math.round((estimate.quota - estimate.usage) / 1048576) : '?';
  el.textContent = `${t('Dung lượng')}: ${persisted ? 'dữ liệu được giữ lâu dài' : 'trình duyệt có thể xóa dữ liệu khi máy đầy'}; còn trống khoảng ${free} MB.`;
  el.dataset.persisted = persisted;
}

async function toggleLang() {
  setLang(getLang() === 'vi' ? 'en' : 'vi');
  await kv.set('lang', getLang());
  route();
}

async function exportOutbox() {
  const file = await exportFile();
  const url = URL.createObjectURL(file.blob);
  const link = h('a', { href: url, download: file.name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  notice(`Đã xuất ${file.count} hồ sơ ra tệp ${file.name}.`);
}

// follow (registry-screens.js): a record started from a known household, {data, householdId | id and
// baseVersion, receiptCode, note, doorCheck, attachments, done(record) -> the address to go to after saving}.
async function formScreen(type, editId, follow = null) {
  if (!(await kv.get('reference'))?.forms && navigator.onLine) await lock.fetchReference(await kv.get('token')).catch(() => {});
  const reference = await kv.get('reference');
  if (!reference?.forms) return show(view, h('p', { class: 'warn' }, t('Cần kết nối mạng một lần để tải biểu mẫu; hãy đồng bộ.')));
  const known = editId ? (await get('outbox', editId)) || (await get('records', editId)) : null;
  type = known?.type || type;
  const data = known?.data || follow?.data;
  const photos = [...(known?.attachments || follow?.attachments || [])];
  const form = h('form', { class: 'stack record-form', id: 'record-form', novalidate: true },
    h('h1', {}, t(TITLES[type])),
    known?.comment ? h('p', { class: 'warn', id: 'comment' }, `Ý kiến của cán bộ xã: ${known.comment}`) : null,
    follow?.note ? h('p', { class: 'muted', id: 'follow-of' }, follow.note) : null,
    ...formFields(type, reference, data?.members?.length || 1));
  body.dataset.photos = photos.length;
  const thumbs = h('div', { class: 'thumbs', id: 'thumbs' });
  // The browser would name its own button and state in the phone's system language: ours say it in words.
  const picker = h('input', { type: 'file', accept: 'image/*', capture: 'environment', id: 'photo', multiple: true,
    'aria-describedby': 'photo-state' });
  const pickerState = h('span', { class: 'muted', id: 'photo-state', 'aria-live': 'polite' });
  const countPhotos = () => {
    body.dataset.photos = photos.length;
    pickerState.textContent = photos.length ? `${t('Đã có ảnh:')} ${photos.length}` : t('Chưa có ảnh');
  };
  picker.addEventListener('change', async () => {
    for (const file of picker.files) {
      const photo = await shrinkPhoto(file);
      await put('photos', photo);
      if (!photos.includes(photo.sha256)) photos.push(photo.sha256);
      thumbs.append(h('img', { src: URL.createObjectURL(photo.thumb), alt: '', class: 'thumb' }));
    }
    picker.value = '';
    countPhotos();
  });
  for (const sha of photos) {
    const photo = await get('photos', sha);
    if (photo) thumbs.append(h('img', { src: URL.createObjectURL(photo.thumb), alt: '', class: 'thumb' }));
  }
  const problems = h('div', { class: 'error', role: 'alert', hidden: true, id: 'form-errors' });
  countPhotos();
  form.append(h('label', { class: 'picker' }, h('span', {}, t('Ảnh giấy tờ')),
    h('span', { class: 'button' }, t('Chụp hoặc chọn ảnh')), picker, pickerState), thumbs, problems,
    h('div', { class: 'row actions' },
      h('button', { type: 'submit', class: 'primary big', id: 'save' }, t(editId ? 'Sửa và gửi lại' : 'Lưu hồ sơ')),
      h('a', { class: 'button', href: '#home', onclick: () => { dirty = false; } }, t('Hủy'))));
  if (data) fill(form, data);
  if (known?.errors) showErrors(form, collect(form).elements, known.errors);
  if (known?.receipt_code || follow?.baseVersion) form.querySelector('[data-path=receipt_code]')?.closest('fieldset')?.remove();
  form.addEventListener('input', () => { dirty = true; });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { data: collected, elements, item } = collect(form);
    const errors = validateRecord(type, collected);
    const badCode = item.receipt_code && receiptCodeProblem(item.receipt_code);
    if (badCode) errors.receipt_code = [badCode];
    const { rest, count } = showErrors(form, elements, errors);
    problems.textContent = count ? [`${count} ${t('trường cần sửa.')}`, ...rest].join(' ') : '';
    problems.hidden = count === 0;
    if (count) return;
    const door = known || follow?.baseVersion ? null : await doorCheck(form, type, collected, follow, photos);
    if (door?.open) { dirty = false; location.hash = door.open; return; }
    if (door?.back) return;
    if (door || follow?.doorCheck) collected.door_check = door || follow.doorCheck;
    if (follow?.householdId) collected.household_id = follow.householdId;
    body.dataset.sync = 'pending';
    const baseVersion = follow?.baseVersion || (known && !('problem' in known) && known.version ? known.version : null);
    const record = await saveRecord({
      id: known?.id || follow?.id, type, data: collected, attachments: photos, baseVersion, receiptCode: item.receipt_code,
    });
    dirty = false;
    offerUpdate();
    await refreshCounter();
    confirmation = `${t('Đã lưu hồ sơ')} ${t(TITLES[type])}: ${subjectName(record)}. ${t('Hồ sơ được gửi khi có mạng.')}`;
    location.hash = follow ? follow.done(record) : type === 'household' && !record.base_version ? `#receipt/${record.id}` : '#home';
    if (navigator.onLine) syncNow();
  });
  show(view, form);
  body.dataset.form = type;
}

// Matches in the registry before a new record is saved (registry-screens.js); none when it cannot load.
async function doorCheck(form, type, data, follow, photos) {
  const screens = await registryScreens().catch(() => null);
  return screens ? screens.doorCheck(form, type, data, follow, photos) : null;
}

async function receiptScreen(id) {
  const record = (await get('outbox', id)) || (await get('records', id));
  if (!record) return homeScreen();
  const reference = await kv.get('reference');
  const code = record.data?.commune_code;
  const commune = reference.communes.find((c) => c.code === code)?.name || code;
  show(view, receiptView(record, commune, body.dataset.statusBase),
    h('div', { class: 'row actions noprint' },
      h('button', { type: 'button', class: 'primary big', id: 'print', onclick: () => window.print() }, t('In biên nhận')),
      h('a', { class: 'button', href: '#home' }, t('Về trang chính'))));
}

async function route() {
  const [screen, arg] = location.hash.slice(1).split('/');
  body.dataset.form = '';
  notice(confirmation);
  confirmation = '';
  if (!hasDataKey()) return null; // the lock covers the page until the PIN or the password opens it
  routed = true;
  if (screen === 'login') return lock.loginScreen(null);
  if (screen === 'new' && TITLES[arg]) return formScreen(arg);
  if (screen === 'edit') return formScreen(null, arg);
  if (screen === 'records') {
    const changed = async () => { await refreshCounter(); route(); };
    return recordsScreen(view, { state: arg || '', titles: TITLES, changed });
  }
  if (screen === 'receipt') return receiptScreen(arg);
  if (REGISTRY_SCREENS.includes(screen)) {
    const args = location.hash.slice(1).split('/').slice(1);
    return (await registryScreens()).route(view, screen, args, { formScreen });
  }
  return homeScreen();
}

// --- the app itself: service worker, updates only when safe ------------------------------

async function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/field/' });
  offerUpdate = () => {
    if (!registration.waiting) return;
    if (dirty) notice('Có phiên bản mới; sẽ dùng khi mở lại ứng dụng.');
    else registration.waiting.postMessage('activate');
  };
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => { if (worker.state === 'installed') offerUpdate(); });
  });
  // the first install only claims this page; an update that took over reloads it into the new version
  let firstInstall = !navigator.serviceWorker.controller;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (firstInstall) { firstInstall = false; return; }
    if (!reloading && !dirty) { reloading = true; location.reload(); }
  });
  window.addEventListener('online', () => registration.update().catch(() => {}));
  await navigator.serviceWorker.ready;
  body.dataset.sw = 'ready';
  offerUpdate();
}

async function boot() {
  setLang((await kv.get('lang')) || 'vi');
  window.addEventListener('hashchange', route);
  window.addEventListener('online', () => syncNow());
  window.addEventListener('offline', () => { body.dataset.sync = 'offline'; });
  document.getElementById('outbox').addEventListener('click', () => { location.hash = '#records'; });
  await refreshCounter();
  lock.onOpen(async ({ fresh }) => {
    status.needLogin = false;
    // after an idle lock or a renewal the page stays as it was, unsaved input too
    if (fresh && !dirty) history.replaceState(null, '', '#home');
    if ((fresh && !dirty) || !routed) await route();
    syncNow();
    // the registry's index, built once after unlock while the worker reads the screen (registry.js)
    setTimeout(() => import('./registry.js').then((registry) => registry.ready()).catch(() => {}), 1000);
  });
  await lock.start();
  body.dataset.ready = 'true';
  registerWorker().catch(() => { body.dataset.sw = 'failed'; });
  // back to the app on the phone, or open for a long while: fetch the office's answers too
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && lock.isOpen() && !status.running) syncNow();
  });
  setInterval(() => {
    if (document.visibilityState === 'visible' && lock.isOpen() && !status.running) syncNow();
  }, 15 * 60 * 1000);
}

boot();
