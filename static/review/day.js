// Dates typed as digits, as on the register keying form: 12081980 -> 12/08/1980, 081980 -> 08/1980 (the
// server reads both the same way: fieldapp/vn/dates.py expand_digits). Office filters' whole-day inputs
// (data-kind=day) are expanded when the field is left, so the clerk sees the day they typed.

export function expandDigits(text) {
  const t = text.trim();
  if (/^\d{8}$/.test(t)) return `${t.slice(0, 2)}/${t.slice(2, 4)}/${t.slice(4)}`;
  if (/^\d{6}$/.test(t)) return `${t.slice(0, 2)}/${t.slice(2)}`;
  return t;
}

for (const input of document.querySelectorAll('input[data-kind=day]')) {
  input.addEventListener('blur', () => { input.value = expandDigits(input.value); });
}
