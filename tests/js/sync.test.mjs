// Retries spread out (exponential back-off with jitter) and records go on the wire without local fields.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, wireRecord } from '../../static/field/js/sync.js';

test('back-off doubles, is capped at five minutes and keeps at least half of the step', () => {
  assert.equal(backoffDelay(0, () => 0), 1000);
  assert.equal(backoffDelay(0, () => 1), 2000);
  assert.equal(backoffDelay(3, () => 1), 16000);
  assert.equal(backoffDelay(20, () => 1), 300000);
  assert.equal(backoffDelay(20, () => 0), 150000);
});

test('jitter spreads phones that retry at the same moment', () => {
  const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
  assert.ok(delays.size > 40);
});

test('a record on the wire carries its UUID and nothing local', () => {
  const wire = wireRecord({ id: 'u', type: 'household', captured_at: 't', data: {}, user_id: 3, attachments: [], receipt_code: null, problem: 'x' });
  assert.deepEqual(wire, { id: 'u', type: 'household', captured_at: 't', data: {} });
  assert.equal(wireRecord({ id: 'u', base_version: 2, receipt_code: 'K', attachments: ['a'] }).base_version, 2);
});

test('a photo the server refused is left out of the record it belongs to', () => {
  const record = { id: 'u', type: 'household', captured_at: 't', data: {}, attachments: ['good', 'bad'] };
  assert.deepEqual(wireRecord(record, new Set(['bad'])).attachments, ['good']);
  assert.equal(wireRecord(record, new Set(['good', 'bad'])).attachments, undefined);
});
