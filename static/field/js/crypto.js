// Encryption at rest with WebCrypto. Everything the app keeps about people is sealed with AES-GCM
// under one random data key. The data key is stored only wrapped, twice: by a key derived from the
// worker's PIN (PBKDF2-SHA256) and by this device's key, which the server holds and hands out only
// at a password login. A wrong PIN or key fails GCM's check: that is how a wrong PIN is told apart.

// Chosen with bench/phonelock_bench.py: an unlock within 1.5 s on a phone 4x slower than the bench machine.
export const PIN_ITERATIONS = 300000;
export const PIN_LENGTH = 6;
const AES = { name: 'AES-GCM', length: 256 };
const PIN_PATTERN = new RegExp(`^[0-9]{${PIN_LENGTH}}$`);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function toBase64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text) {
  const plain = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(plain, (c) => c.charCodeAt(0));
}

export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

// Extractable, because it must be wrapped again (a new PIN, a new device key after a revocation).
export function newDataKey() {
  return crypto.subtle.generateKey(AES, true, ['encrypt', 'decrypt']);
}

export async function pinKey(pin, salt, iterations = PIN_ITERATIONS) {
  const material = await crypto.subtle.importKey('raw', encoder.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, AES, false, ['wrapKey', 'unwrapKey']);
}

export function deviceKey(base64url) {
  return crypto.subtle.importKey('raw', fromBase64url(base64url), AES, false, ['wrapKey', 'unwrapKey']);
}

export async function wrap(dataKey, wrappingKey) {
  const iv = randomBytes(12);
  return { iv, data: new Uint8Array(await crypto.subtle.wrapKey('raw', dataKey, wrappingKey, { name: 'AES-GCM', iv })) };
}

// Throws (OperationError) when the wrapping key is not the one that wrapped it: a wrong PIN.
export function unwrap(box, wrappingKey) {
  return crypto.subtle.unwrapKey('raw', box.data, wrappingKey, { name: 'AES-GCM', iv: box.iv }, AES, true, ['encrypt', 'decrypt']);
}

// A key that never leaves this browser (non-extractable, kept in IndexedDB as a CryptoKey object). The
// PIN copy of the data key is sealed under it as well, so guessing PINs needs this browser's WebCrypto
// at the unlock's speed, not a copy of the storage and a GPU.
export function newPepper() {
  return crypto.subtle.generateKey(AES, false, ['encrypt', 'decrypt']);
}

export async function wrapWithPin(dataKey, pin, salt, iterations, pepper) {
  const inner = await wrap(dataKey, await pinKey(pin, salt, iterations));
  return { iv: inner.iv, outer: await seal(pepper, inner.data) };
}

// Throws when the PIN (or the pepper) is not the one it was wrapped with.
export async function unwrapWithPin(box, pin, salt, iterations, pepper) {
  const data = await open(pepper, box.outer);
  return unwrap({ iv: box.iv, data }, await pinKey(pin, salt, iterations));
}

export async function seal(key, bytes) {
  const iv = randomBytes(12);
  return { iv, data: new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes)) };
}

export function open(key, box) {
  return crypto.subtle.decrypt({ name: 'AES-GCM', iv: box.iv }, key, box.data);
}

export function sealJson(key, value) {
  return seal(key, encoder.encode(JSON.stringify(value)));
}

export async function openJson(key, box) {
  return JSON.parse(decoder.decode(await open(key, box)));
}

// A digest of what is unsent, to tell whether the export the worker made still covers all of it.
export async function fingerprint(value) {
  return toBase64url(await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(value))));
}

// Why a PIN may not be chosen (the message to show), or null. Repeated and consecutive digits are
// the first a thief tries.
export function pinProblem(pin) {
  if (!PIN_PATTERN.test(pin)) return 'Mã PIN gồm đúng 6 chữ số.';
  const steps = new Set([...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10));
  if (steps.size === 1 && [0, 1, 9].includes([...steps][0])) return 'Mã PIN quá dễ đoán (lặp lại hoặc liên tiếp); hãy chọn mã khác.';
  return null;
}
