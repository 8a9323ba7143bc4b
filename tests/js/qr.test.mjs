// The QR encoder's structure; tests/field/test_qr.py decodes its output with zxing-cpp.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { qrMatrix, qrPath } from '../../static/field/js/qr.js';

test('versions grow with the text: 21, 25, 29 ... modules', () => {
  assert.equal(qrMatrix('A').length, 21);
  assert.equal(qrMatrix('x'.repeat(40)).length, 29);
  assert.equal(qrMatrix('x'.repeat(100)).length, 41);
  assert.throws(() => qrMatrix('x'.repeat(200)), RangeError);
});

test('finder patterns sit in three corners', () => {
  const m = qrMatrix('http://fieldapp.test/r/K7QX2MP9RD');
  const n = m.length;
  for (const [x, y] of [[0, 0], [n - 7, 0], [0, n - 7]]) {
    assert.ok(m[y][x] && m[y + 6][x + 6] && !m[y + 1][x + 1] && m[y + 3][x + 3]);
  }
});

test('the SVG path draws one square per dark module with a quiet zone', () => {
  const m = qrMatrix('A');
  const { d, size } = qrPath(m);
  assert.equal(size, 29);
  assert.equal(d.split('M').length - 1, m.flat().filter(Boolean).length);
});
