// Saving records into the outbox, and exporting what is unsent to one file for the office import.

import { fingerprint } from './crypto.js';
import { all, count, get, kv, put, takeReceiptCode } from './store.js';
import { announce, wireRecord } from './sync.js';

export const FILE_FORMAT = 'fieldapp-outbox';
export const POOL_LOW = 5;

export function newId() {
  return crypto.randomUUID();
}

// A new record, or the correction of a returned one (same id, with the version it was edited from).
export async function saveRecord({ id, type, data, attachments, baseVersion, receiptCode }) {
  const user = await kv.get('user');
  const existing = id ? await get('outbox', id) : null;
  const record = {
    id: id || newId(),
    type,
    data,
    attachments: attachments || [],
    captured_at: existing?.captured_at || new Date().toISOString(),
    user_id: user.id,
    receipt_code: existing?.receipt_code || receiptCode || null, // a pad's code, typed, wins over the pool
    base_version: baseVersion || existing?.base_version || null,
  };
  if (type === 'household' && !record.receipt_code && !record.base_version) {
    record.receipt_code = await takeReceiptCode();
  }
  await put('outbox', record);
  announce();
  return record;
}

export async function waitingCount() {
  return count('outbox');
}

export async function poolSize() {
  return ((await kv.get('pool')) || []).length;
}

function base64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1]);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

// One JSON file: who exported it, the unsent records as they would be pushed, and their photos.
export async function exportFile() {
  const user = await kv.get('user');
  const records = (await all('outbox')).filter((r) => r.user_id === user.id);
  const photos = [];
  for (const sha of new Set(records.flatMap((r) => r.attachments || []))) {
    const photo = await get('photos', sha);
    if (photo) photos.push({ sha256: sha, type: 'image/jpeg', data: await base64(photo.blob) });
  }
  const content = {
    format: FILE_FORMAT,
    version: 1,
    exported_at: new Date().toISOString(),
    collector: { id: user.id, username: user.username },
    device_id: await kv.get('device_id'),
    records: records.map((r) => wireRecord(r)),
    photos,
  };
  await kv.set('exported', await unsentFingerprint(records));
  const blob = new Blob([JSON.stringify(content)], { type: 'application/json' });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return { blob, name: `hotich-${user.username}-${stamp}.json`, count: records.length };
}

async function unsentFingerprint(records) {
  return fingerprint(records.map((r) => wireRecord(r)));
}

// Sign-out may clear the phone: nothing is unsent, or the last export holds exactly what is unsent.
export async function everythingExported() {
  const waiting = await all('outbox');
  return waiting.length === 0 || (await kv.get('exported')) === (await unsentFingerprint(waiting));
}
