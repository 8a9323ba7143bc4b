// Page scans and photos that zoom and pan from the keyboard as well as the mouse (WCAG 2.1.1).
// On a focused scan: + / - zoom, arrows pan, 0 fits. Anywhere on the page (while typing in a form):
// Alt + = / Alt + - zoom, Alt + arrows pan, Alt + 0 fits the first scan.

const STEP = 1.25;
const PAN = 80;
const views = new Map();

function viewer(box) {
  const img = box.querySelector('img');
  const state = { scale: 1, x: 0, y: 0 };
  const apply = () => {
    const maxX = Math.max(0, img.offsetWidth * state.scale - box.clientWidth);
    const maxY = Math.max(0, img.offsetHeight * state.scale - box.clientHeight);
    state.x = Math.min(maxX, Math.max(0, state.x));
    state.y = Math.min(maxY, Math.max(0, state.y));
    img.style.transform = `translate(${-state.x}px, ${-state.y}px) scale(${state.scale})`;
    box.dataset.zoom = state.scale.toFixed(2);
  };
  const api = {
    zoom(factor) { state.scale = Math.min(8, Math.max(1, state.scale * factor)); apply(); },
    pan(dx, dy) { state.x += dx; state.y += dy; apply(); },
    reset() { Object.assign(state, { scale: 1, x: 0, y: 0 }); apply(); },
    box,
  };
  box.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (act(api, e.key)) e.preventDefault();
  });
  box.addEventListener('wheel', (e) => { e.preventDefault(); api.zoom(e.deltaY < 0 ? STEP : 1 / STEP); }, { passive: false });
  let drag = null;
  box.addEventListener('pointerdown', (e) => { drag = { x: e.clientX, y: e.clientY }; box.setPointerCapture(e.pointerId); });
  box.addEventListener('pointermove', (e) => {
    if (!drag) return;
    api.pan(drag.x - e.clientX, drag.y - e.clientY);
    drag = { x: e.clientX, y: e.clientY };
  });
  box.addEventListener('pointerup', () => { drag = null; });
  box.addEventListener('dblclick', () => api.zoom(state.scale > 1 ? 0 : 2));
  img.addEventListener('load', apply);
  views.set(box.id, api);
  return api;
}

function act(api, key) {
  const moves = { ArrowLeft: [-PAN, 0], ArrowRight: [PAN, 0], ArrowUp: [0, -PAN], ArrowDown: [0, PAN] };
  if (key === '+' || key === '=') api.zoom(STEP);
  else if (key === '-' || key === '−') api.zoom(1 / STEP);
  else if (key === '0') api.reset();
  else if (moves[key]) api.pan(...moves[key]);
  else return false;
  return true;
}

export function setupScans(root = document) {
  root.querySelectorAll('.scan-view').forEach(viewer);
  root.querySelectorAll('[data-zoom]').forEach((button) => {
    button.addEventListener('click', () => {
      const api = views.get(button.getAttribute('aria-controls'));
      if (!api) return;
      const how = button.dataset.zoom;
      if (how === 'in') api.zoom(STEP); else if (how === 'out') api.zoom(1 / STEP); else api.reset();
    });
  });
}

setupScans();

export function scanReset() {
  views.values().next().value?.reset();
}

document.addEventListener('keydown', (e) => {
  if (!e.altKey || e.ctrlKey || e.metaKey) return;
  const first = views.values().next().value;
  if (!first) return;
  const key = e.key === 'Dead' ? '' : e.key;
  if (act(first, key)) e.preventDefault();
});
