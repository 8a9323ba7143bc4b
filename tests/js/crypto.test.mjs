// The data key opens with the right PIN or the device key only; sealed bytes carry nothing readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as c from '../../static/field/js/crypto.js';

const FEW = 1000; // iterations: the cost is measured by the bench, not here

test('the right PIN unwraps the data key; a wrong one fails', async () => {
  const key = await c.newDataKey();
  const salt = c.randomBytes(16);
  const box = await c.wrap(key, await c.pinKey('482915', salt, FEW));
  const opened = await c.unwrap(box, await c.pinKey('482915', salt, FEW));
  const sealed = await c.sealJson(key, { full_name: 'Giàng A Páo' });
  assert.deepEqual(await c.openJson(opened, sealed), { full_name: 'Giàng A Páo' });
  await assert.rejects(c.unwrap(box, await c.pinKey('482916', salt, FEW)));
});

test('the device key from the server unwraps its copy, and only its own', async () => {
  const key = await c.newDataKey();
  const deviceKey = c.toBase64url(c.randomBytes(32));
  const box = await c.wrap(key, await c.deviceKey(deviceKey));
  const opened = await c.unwrap(box, await c.deviceKey(deviceKey));
  assert.deepEqual(await c.openJson(opened, await c.sealJson(key, [1, 2])), [1, 2]);
  await assert.rejects(c.unwrap(box, await c.deviceKey(c.toBase64url(c.randomBytes(32)))));
});

test('sealed text is not readable and each seal uses a new IV', async () => {
  const key = await c.newDataKey();
  const one = await c.sealJson(key, '038080001234 Giàng A Páo');
  const two = await c.sealJson(key, '038080001234 Giàng A Páo');
  const text = Buffer.from(one.data).toString('latin1');
  assert.ok(!text.includes('038080001234') && !text.includes('Gi'));
  assert.notDeepEqual(one.iv, two.iv);
  one.data[0] ^= 1; // tampered: GCM refuses it
  await assert.rejects(c.openJson(key, one));
});

test('base64url round trip of a 32-byte server key', () => {
  const bytes = c.randomBytes(32);
  const text = c.toBase64url(bytes);
  assert.equal(text.length, 43);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(c.fromBase64url(text), bytes);
});

test('a PIN is six digits and not repeated or consecutive', () => {
  assert.equal(c.pinProblem('482915'), null);
  assert.equal(c.pinProblem('000000') !== null, true);
  assert.equal(c.pinProblem('123456') !== null, true);
  assert.equal(c.pinProblem('654321') !== null, true);
  assert.equal(c.pinProblem('890123') !== null, true);
  assert.equal(c.pinProblem('12345') !== null, true);
  assert.equal(c.pinProblem('12345a') !== null, true);
});

test('the PIN copy opens only with the pepper of this browser', async () => {
  const key = await c.newDataKey();
  const salt = c.randomBytes(16);
  const pepper = await c.newPepper();
  const box = await c.wrapWithPin(key, '482915', salt, FEW, pepper);
  const opened = await c.unwrapWithPin(box, '482915', salt, FEW, pepper);
  assert.deepEqual(await c.openJson(opened, await c.sealJson(key, 'x')), 'x');
  await assert.rejects(c.unwrapWithPin(box, '482916', salt, FEW, pepper));
  await assert.rejects(c.unwrapWithPin(box, '482915', salt, FEW, await c.newPepper()));
  await assert.rejects(crypto.subtle.exportKey('raw', pepper)); // it cannot be read out, only used
});
