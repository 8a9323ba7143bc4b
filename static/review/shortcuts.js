// Single-key shortcuts can be switched off (WCAG 2.1.4); the choice is kept in this browser.
const KEY = 'review.shortcuts';

export const shortcutsOn = () => localStorage.getItem(KEY) !== 'off';

export function wireToggle() {
  const box = document.getElementById('shortcuts-toggle');
  if (!box) return;
  box.checked = shortcutsOn();
  document.body.dataset.shortcuts = box.checked ? 'on' : 'off';
  box.addEventListener('change', () => {
    localStorage.setItem(KEY, box.checked ? 'on' : 'off');
    document.body.dataset.shortcuts = box.checked ? 'on' : 'off';
  });
}
