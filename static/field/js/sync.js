// Sync: photos (resumable, by hash), then the outbox in gzip batches of 20, then the server's changes
// and a refilled receipt code pool, then the area's households (registry.js, loaded for it). One tab at a time (Web Locks), exponential back-off with jitter.
// A record leaves the outbox only when the server has answered for it; a retry after a lost answer
// is answered "duplicate" because every record carries its UUID.

import { AuthError, HttpError, getJson, postJson, putBytes } from './api.js';
import { LockedError, all, clearSynced, count, get, hasDataKey, kv, put, remove } from './store.js';

export const BATCH = 20;
const PART = 64 * 1024;
const BASE_DELAY = 2000;
const MAX_DELAY = 5 * 60 * 1000;
const listeners = new Set();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('fieldapp') : null;
let retryTimer = null;

export const status = { running: false, phase: 'idle', done: 0, total: 0, error: null, needLogin: false, attempt: 0 };

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emit(patch = {}) {
  Object.assign(status, patch);
  for (const listener of listeners) listener(status);
}

// Tell the other tabs: the outbox changed, and how the last sync ended (they may have been 'busy').
export function announce() {
  channel?.postMessage({ phase: status.running ? null : status.phase, needLogin: status.needLogin });
}
if (channel) {
  channel.onmessage = ({ data }) => {
    const ended = ['done', 'retry', 'login'].includes(data?.phase) && !status.running;
    emit(ended ? { phase: data.phase, needLogin: data.needLogin } : {});
  };
  channel.unref?.(); // node (unit tests) only: do not keep the process alive
}

// "Equal jitter": between half and all of min(cap, base * 2^attempt), so phones that lost the
// network together do not come back together.
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY, BASE_DELAY * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

// The record as it goes on the wire: nothing empty, nothing local. A photo the server refused is
// left out: the server accepts only photos this account has uploaded.
export function wireRecord(record, refused = new Set()) {
  const out = { id: record.id, type: record.type, captured_at: record.captured_at, data: record.data };
  if (record.receipt_code) out.receipt_code = record.receipt_code;
  if (record.base_version) out.base_version = record.base_version;
  const photos = (record.attachments || []).filter((sha) => !refused.has(sha));
  if (photos.length) out.attachments = photos;
  return out;
}

export async function syncNow() {
  if (!hasDataKey()) return 'locked'; // nothing can be read (not even the token) until the PIN is given
  if (!navigator.onLine) {
    emit({ phase: 'offline' });
    return 'offline';
  }
  emit({ phase: 'pending' });
  if (!navigator.locks) return runSync();
  return navigator.locks.request('fieldapp-sync', { ifAvailable: true }, (lock) => {
    if (lock) return runSync();
    emit({ phase: 'busy' }); // another tab is syncing; its progress reaches this one via BroadcastChannel
    return 'busy';
  });
}

async function runSync() {
  clearTimeout(retryTimer);
  emit({ running: true, phase: 'photos', error: null, done: 0, total: 0 });
  try {
    await uploadPhotos();
    await pushOutbox();
    await pullChanges();
    await pullRegistry();
    await kv.set('lastSync', new Date().toISOString());
    emit({ running: false, phase: 'done', attempt: 0, needLogin: false });
    return 'done';
  } catch (err) {
    if (err instanceof AuthError) {
      // revoked: the copies of synced data go now; the sealed outbox waits for a password login
      if (err.reason === 'revoked') await clearSynced();
      emit({ running: false, phase: 'login', needLogin: true, revoked: err.reason === 'revoked' });
      return 'login';
    }
    if (err instanceof LockedError) {
      emit({ running: false, phase: 'locked' }); // locked mid-way: what was answered is settled next time
      return 'locked';
    }
    const delay = backoffDelay(status.attempt);
    emit({ running: false, phase: 'retry', error: err.message, attempt: status.attempt + 1, retryIn: delay });
    retryTimer = setTimeout(syncNow, delay);
    return 'retry';
  } finally {
    announce();
  }
}

async function currentUserId() {
  return (await kv.get('user'))?.id;
}

async function uploadPhotos() {
  const waiting = new Set((await all('outbox')).flatMap((r) => r.attachments || []));
  for (const sha of waiting) {
    const photo = await get('photos', sha);
    if (!photo || photo.uploaded || photo.refused) continue;
    try {
      await uploadPhoto(photo);
    } catch (err) {
      // a photo the server refuses for good (type, size) must not hold back the records: keep it, go on
      if (!(err instanceof HttpError) || err.status < 400 || [408, 429].includes(err.status) || err.status >= 500) throw err;
      await put('photos', { ...photo, refused: err.message });
    }
  }
}

async function uploadPhoto(photo) {
  const url = `/api/v1/attachments/${photo.sha256}`;
  const total = photo.blob.size;
  let offset = 0;
  try {
    const { body } = await getJson(url);
    if (body.complete) return markUploaded(photo);
    offset = body.received || 0;
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) throw err;
  }
  for (let round = 0; round < 4 * Math.ceil(total / PART) + 4; round++) {
    const end = Math.min(total, offset + PART) - 1;
    const range = `bytes ${offset}-${end}/${total}`;
    const res = await putBytes(url, photo.blob.slice(offset, end + 1), { 'Content-Type': 'image/jpeg', 'Content-Range': range });
    if (res.status === 200 || res.status === 201) return markUploaded(photo);
    offset = res.status === 416 ? Number(res.headers.get('Upload-Offset') || 0) : res.body.received;
    emit({ phase: 'photos', done: offset, total });
  }
  throw new Error('upload did not finish');
}

async function markUploaded(photo) {
  await put('photos', { ...photo, uploaded: true });
}

async function pushOutbox() {
  const me = await currentUserId();
  const pending = (await all('outbox'))
    .filter((r) => !r.problem && r.user_id === me)
    .sort((a, b) => a.captured_at.localeCompare(b.captured_at));
  emit({ phase: 'push', done: 0, total: pending.length });
  const refused = new Set((await all('photos')).filter((p) => p.refused).map((p) => p.sha256));
  for (let i = 0; i < pending.length; i += BATCH) {
    const batch = pending.slice(i, i + BATCH);
    const { body } = await postJson('/api/v1/sync/push', { records: batch.map((r) => wireRecord(r, refused)) });
    const byId = new Map(batch.map((r) => [r.id, r]));
    for (const result of body.results) await settle(byId.get(result.id), result);
    emit({ done: Math.min(i + BATCH, pending.length) });
    announce();
  }
}

async function settle(record, result) {
  if (!record) return;
  if (['created', 'duplicate', 'updated'].includes(result.status)) {
    const known = (await get('records', record.id)) || {};
    await put('records', {
      ...known,
      id: record.id,
      type: record.type,
      data: record.data,
      captured_at: record.captured_at,
      receipt_code: result.receipt_code || record.receipt_code || known.receipt_code,
      state: result.state || 'submitted',
      version: result.version || known.version || 1,
      comment: null,
    });
    await remove('outbox', record.id);
    await freePhotos(record.attachments || []);
  } else {
    // a conflict keeps the phone's version as it was sent, beside the server's (registry-screens.js)
    await put('outbox', { ...record, problem: result.status, errors: result.errors || {}, server_version: result.version });
  }
}

// A cheap phone's storage is small: once the server has a photo and its record, keep only the thumbnail.
async function freePhotos(shas) {
  for (const sha of shas) {
    const photo = await get('photos', sha);
    if (photo?.uploaded && photo.blob) await put('photos', { ...photo, blob: null });
  }
}

// What the office's device list shows: the app's version and how many records still wait here.
async function report() {
  return { 'X-App-Version': document.body.dataset.version || '', 'X-Outbox-Count': String(await count('outbox')) };
}

async function pullChanges() {
  emit({ phase: 'pull' });
  let cursor = (await kv.get('cursor')) || '0';
  for (let page = 0; page < 50; page++) {
    const { body } = await getJson(`/api/v1/sync/pull?cursor=${encodeURIComponent(cursor)}`, await report());
    for (const change of body.changes) {
      const known = (await get('records', change.id)) || {};
      const merged = { ...known, ...change };
      if (!change.data) merged.data = known.data;
      await put('records', merged);
    }
    const held = new Set((await all('outbox')).map((r) => r.receipt_code).filter(Boolean));
    await kv.set('pool', body.receipt_codes.filter((code) => !held.has(code)));
    cursor = body.cursor;
    await kv.set('cursor', cursor);
    if (!body.more) break;
  }
}

// The households of the area, page by page from the last stored cursor (registry.js). A caller with no
// area (403) or a server without the feed (404) has no registry: not a reason to retry the sync.
async function pullRegistry() {
  const registry = await import('./registry.js');
  try {
    await registry.download((progress) => emit({ phase: 'registry', ...progress }));
  } catch (err) {
    if (!(err instanceof HttpError && [403, 404].includes(err.status))) throw err;
  }
}
