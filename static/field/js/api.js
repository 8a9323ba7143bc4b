// The device contract over fetch: bearer token, gzip request bodies, errors as exceptions.

import { kv } from './store.js';

// reason: "revoked", "expired" or "unknown", from the server's WWW-Authenticate header (RFC 6750)
export class AuthError extends Error {
  constructor(message, reason = 'unknown') {
    super(message);
    this.reason = reason;
  }
}
export class HttpError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function gzip(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).arrayBuffer();
}

async function answer(response) {
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.status === 401) {
    const reason = (response.headers.get('WWW-Authenticate') || '').match(/error_description="(\w+)"/)?.[1];
    throw new AuthError(body?.message || '401', reason);
  }
  if (!response.ok && response.status !== 416) throw new HttpError(response.status, body);
  return { status: response.status, body, headers: response.headers };
}

async function authHeaders(extra = {}) {
  const token = await kv.get('token');
  if (!token) throw new AuthError('no token');
  return { Authorization: `Bearer ${token}`, ...extra };
}

export async function getJson(path, headers = {}) {
  return answer(await fetch(path, { headers: await authHeaders(headers), cache: 'no-store' }));
}

export async function postJson(path, payload, { compress = true } = {}) {
  const text = JSON.stringify(payload);
  const headers = await authHeaders({ 'Content-Type': 'application/json' });
  let body = text;
  if (compress && typeof CompressionStream === 'function') {
    body = await gzip(text);
    headers['Content-Encoding'] = 'gzip';
  }
  return answer(await fetch(path, { method: 'POST', headers, body }));
}

export async function putBytes(path, blob, headers) {
  return answer(await fetch(path, { method: 'PUT', headers: await authHeaders(headers), body: blob }));
}

// previousDeviceId: the device this phone held; the server renews it or hands back its key.
export async function login(username, password, deviceName, previousDeviceId) {
  const payload = { username, password, device_name: deviceName };
  if (previousDeviceId) payload.previous_device_id = previousDeviceId;
  const response = await fetch('/api/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new HttpError(response.status, body);
  return body;
}

export async function logout() {
  return answer(await fetch('/api/v1/auth/logout', { method: 'POST', headers: await authHeaders() }));
}
