// IndexedDB: the outbox, the photos, the worker's records and the settings. Survives reloads,
// closing the browser and restarting the phone; an app update never touches it.
// Whatever is about people is sealed (AES-GCM, crypto.js) under the data key, which lives in memory
// only while the app is unlocked; a sealed row keeps nothing in clear but its key (a UUID, a hash).
//   kv       clear:  lock (the wrapped data key), account {id, username}, device_id, cursor, pool,
//                    lastSync, reference (units, ethnic groups), lang, persisted
//            sealed: token, user, exported
//   outbox   records waiting to be sent: {id, type, captured_at, data, attachments, receipt_code, base_version}
//   photos   {sha256, blob, thumb, uploaded}
//   records  what the server last said about each record: {id, type, state, version, comment, data, ...}
//   registry the households of the worker's area (registry.js): {id, version, state, village, members, ...};
//            kv regCursor, regTotal, regGen, regFull, regGot (clear) say how far its download got

import { open, openJson, seal, sealJson } from './crypto.js';

const NAME = 'fieldapp';
const STORES = { kv: null, outbox: 'id', photos: 'sha256', records: 'id', registry: 'id' };
const SEALED_KV = new Set(['token', 'user', 'exported']);
let opening = null;
let dataKey = null;
// Sealed settings read on every save and every request (user, token), kept open while unlocked only.
const opened = new Map();
// Told when the data key changes or the synced copies go: what is kept open in memory must go too.
const resetListeners = new Set();

export function onReset(listener) {
  resetListeners.add(listener);
}

export class LockedError extends Error {}

export function setDataKey(key) {
  dataKey = key;
  opened.clear();
  for (const listener of resetListeners) listener();
}

export function hasDataKey() {
  return dataKey !== null;
}

export function currentDataKey() {
  return dataKey;
}

function currentKey() {
  if (!dataKey) throw new LockedError('locked');
  return dataKey;
}

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDb() {
  opening ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 2);
    request.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!request.result.objectStoreNames.contains(name)) {
          request.result.createObjectStore(name, keyPath ? { keyPath } : undefined);
        }
      }
    };
    request.onsuccess = () => {
      // a newer version of the app (another tab) adds a store: let it, reopen at the next use
      request.result.onversionchange = () => { request.result.close(); opening = null; };
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function isSealed(store, key) {
  return store === 'kv' ? SEALED_KV.has(key) : true;
}

// Blobs (photos) are sealed as bytes beside the JSON of the rest.
async function sealValue(value) {
  const key = currentKey();
  const plain = value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : value;
  const blobs = {};
  if (plain !== value) {
    for (const [name, field] of Object.entries(value)) {
      if (!(field instanceof Blob)) continue;
      blobs[name] = { type: field.type, ...(await seal(key, await field.arrayBuffer())) };
      delete plain[name];
    }
  }
  return { sealed: 1, box: await sealJson(key, plain), blobs };
}

async function openValue(row) {
  if (!row || row.sealed !== 1) return row; // a row from before encryption: sealed at the next unlock
  const key = currentKey();
  const value = await openJson(key, row.box);
  for (const [name, blob] of Object.entries(row.blobs || {})) {
    value[name] = new Blob([await open(key, blob)], { type: blob.type });
  }
  return value;
}

async function toRow(store, value, key) {
  if (!isSealed(store, key)) return value;
  const row = await sealValue(value);
  if (STORES[store]) row[STORES[store]] = value[STORES[store]];
  return row;
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

async function run(store, mode, action) {
  const db = await openDb();
  const tx = db.transaction(store, mode);
  const result = action(tx.objectStore(store));
  await finished(tx);
  return result instanceof IDBRequest ? result.result : result;
}

const getRaw = (store, key) => run(store, 'readonly', (s) => s.get(key));
const allRaw = (store) => run(store, 'readonly', (s) => s.getAll());

export async function get(store, key) {
  const row = await getRaw(store, key);
  return isSealed(store, key) ? openValue(row) : row;
}

export async function all(store) {
  return Promise.all((await allRaw(store)).map(openValue));
}

export const count = (store) => run(store, 'readonly', (s) => s.count());
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));
export const clear = (store) => run(store, 'readwrite', (s) => s.clear());

// Sealing is done before the transaction opens: an IndexedDB transaction does not outlive an await.
export async function put(store, value, key) {
  const row = await toRow(store, value, key);
  return run(store, 'readwrite', (s) => (key === undefined ? s.put(row) : s.put(row, key)));
}

export const kv = {
  async get(key) {
    if (opened.has(key)) return opened.get(key);
    const value = await get('kv', key);
    if (SEALED_KV.has(key) && value !== undefined) opened.set(key, value);
    return value;
  },
  async set(key, value) {
    opened.delete(key);
    await put('kv', value, key);
    if (SEALED_KV.has(key)) opened.set(key, value);
  },
  remove: (key) => { opened.delete(key); return remove('kv', key); },
};

// Rows and settings written together or not at all (a page of the registry and its cursor): sealed
// first, then one transaction puts the rows, deletes `gone` and sets the clear kv settings. `clear`: fields
// kept beside each sealed row, about the row, never about a person (the registry's download number).
export async function putAll(store, values, gone, settings, clear = {}) {
  const rows = await Promise.all(values.map(async (value) => ({ ...(await toRow(store, value)), ...clear })));
  const db = await openDb();
  const tx = db.transaction([store, 'kv'], 'readwrite');
  for (const row of rows) tx.objectStore(store).put(row);
  for (const key of gone) tx.objectStore(store).delete(key);
  for (const [key, value] of Object.entries(settings)) tx.objectStore('kv').put(value, key);
  await finished(tx);
}

// Delete the rows `drop(row)` names, judged by what a row keeps in clear; how many went.
export async function removeRows(store, drop) {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite');
  let removed = 0;
  tx.objectStore(store).openCursor().onsuccess = (event) => {
    const cursor = event.target.result;
    if (!cursor) return;
    if (drop(cursor.value)) { cursor.delete(); removed += 1; }
    cursor.continue();
  };
  await finished(tx);
  return removed;
}

// Take one code from the pool, in the same transaction that leaves it out (no code used twice).
export async function takeReceiptCode() {
  const db = await openDb();
  const tx = db.transaction('kv', 'readwrite');
  const store = tx.objectStore('kv');
  const pool = (await promised(store.get('pool'))) || [];
  const code = pool.shift() || null;
  store.put(pool, 'pool');
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  return code;
}

// Rows written in clear by a version before encryption: sealed once a data key exists.
export async function sealLegacy() {
  if (await getRaw('kv', 'sealedAll')) return;
  for (const store of ['outbox', 'photos', 'records']) {
    for (const row of await allRaw(store)) if (row.sealed !== 1) await put(store, row);
  }
  for (const key of SEALED_KV) {
    const value = await getRaw('kv', key);
    if (value !== undefined && value?.sealed !== 1) await kv.set(key, value);
  }
  await kv.set('sealedAll', true);
}

// A revoked device: drop the copies of synced data, keep the outbox and the photos it needs.
export async function clearSynced() {
  const kept = new Set((await all('outbox')).flatMap((r) => r.attachments || []));
  await clear('records');
  await clear('registry');
  for (const key of ['regCursor', 'regTotal', 'regAt', 'regGen', 'regFull', 'regGot']) await kv.remove(key);
  for (const listener of resetListeners) listener();
  for (const row of await allRaw('photos')) if (!kept.has(row.sha256)) await remove('photos', row.sha256);
  await kv.set('cursor', '0');
}

// Sign-out: nothing of this worker stays on the phone.
export async function wipe() {
  const db = await openDb();
  db.close();
  opening = null;
  setDataKey(null);
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(NAME);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
    request.onblocked = resolve; // another tab holds it open: deleted as soon as that tab lets go
  });
}

export { promised };
