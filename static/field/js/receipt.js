// The household's receipt, drawn on the phone while offline: code, head's name, date, commune and a
// QR code leading to the public status page. Printable (window.print with the print stylesheet).

import { h, t } from './dom.js';
import { qrMatrix, qrPath } from './qr.js';

const SVG = 'http://www.w3.org/2000/svg';

export function displayCode(code) {
  return code ? `${code.slice(0, 5)}-${code.slice(5)}` : '';
}

export function statusUrl(base, code) {
  return `${base}/r/${code}`;
}

export function qrSvg(text) {
  const { d, size } = qrPath(qrMatrix(text));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', text);
  svg.setAttribute('shape-rendering', 'crispEdges');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', size);
  background.setAttribute('height', size);
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(background, path);
  return svg;
}

function headName(record) {
  return record.data?.members?.find((m) => m.relationship === 'head')?.full_name || '';
}

function localDate(iso) {
  const d = new Date(iso);
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}

export function receiptView(record, communeName, base) {
  const code = record.receipt_code;
  const rows = [
    ['Chủ hộ', headName(record)],
    ['Ngày', record.captured_at ? localDate(record.captured_at) : ''],
    // the names carry their type ("Bản Lát", "Xã Mường Lát"): one address line, no "Xã: Xã …"
    ['Địa chỉ', [record.data?.village, communeName].filter(Boolean).join(', ')],
  ].filter(([, value]) => value); // a record this phone only heard of at sync has no data here
  return h('section', { class: 'receipt', id: 'receipt' },
    h('h1', {}, t('Biên nhận')),
    h('p', { class: 'muted' }, 'Hồ sơ hộ gia đình đã được ghi nhận. Dùng mã này để tra cứu tình trạng hồ sơ.'),
    code
      ? h('p', { class: 'code', id: 'receipt-code' }, displayCode(code))
      : h('p', { class: 'warn' }, 'Máy hết mã biên nhận; mã sẽ được cấp khi đồng bộ.'),
    h('dl', {}, rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
    code ? qrSvg(statusUrl(base, code)) : null,
    code ? h('p', { class: 'url' }, statusUrl(base, code)) : null);
}
