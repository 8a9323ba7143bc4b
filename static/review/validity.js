// The browser's own form checks (required, min, max, a number) speak the language of the browser, so an
// English Windows shows "Please fill out this field." on a Vietnamese page. Say them in the page's
// language instead; the server checks everything again and names the field in its answer.

const words = JSON.parse(document.getElementById('validity-messages')?.textContent || '{}');

function reason(el) {
  const v = el.validity;
  if (v.valueMissing) return el.type === 'file' ? words.file : el.tagName === 'SELECT' ? words.choose : words.missing;
  if (v.badInput || v.stepMismatch) return words.number;
  if (v.rangeUnderflow) return words.min.replace('{n}', el.min);
  if (v.rangeOverflow) return words.max.replace('{n}', el.max);
  if (v.tooLong) return words.long.replace('{n}', el.maxLength);
  return words.other;
}

document.addEventListener('invalid', (event) => {
  const el = event.target;
  el.setCustomValidity('');
  if (!el.validity.valid) el.setCustomValidity(reason(el) || '');
}, true);
// a custom message makes the field invalid until it is cleared: clear it as soon as the value changes
for (const type of ['input', 'change']) {
  document.addEventListener(type, (event) => event.target.setCustomValidity?.(''), true);
}
