// IndexedDB: the outbox, the photos, the worker's records and the settings. Survives reloads,
// closing the browser and restarting the phone; an app update never touches it.
//   kv       token, user, reference data, receipt code pool, pull cursor, language
//   outbox   records waiting to be sent: {id, type, captured_at, data, attachments, receipt_code, base_version}
//   photos   {sha256, blob, thumb, uploaded}
//   records  what the server last said about each record: {id, type, state, version, comment, data, ...}

const NAME = 'fieldapp';
const STORES = { kv: null, outbox: 'id', photos: 'sha256', records: 'id' };
let opening = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDb() {
  opening ||= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, 1);
    request.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!request.result.objectStoreNames.contains(name)) {
          request.result.createObjectStore(name, keyPath ? { keyPath } : undefined);
        }
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function run(store, mode, action) {
  const db = await openDb();
  const tx = db.transaction(store, mode);
  const result = action(tx.objectStore(store));
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  return result instanceof IDBRequest ? result.result : result;
}

export const get = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const all = (store) => run(store, 'readonly', (s) => s.getAll());
export const count = (store) => run(store, 'readonly', (s) => s.count());
export const put = (store, value, key) => run(store, 'readwrite', (s) => (key === undefined ? s.put(value) : s.put(value, key)));
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));

export const kv = {
  get: (key) => get('kv', key),
  set: (key, value) => put('kv', value, key),
  remove: (key) => remove('kv', key),
};

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

export { promised };
