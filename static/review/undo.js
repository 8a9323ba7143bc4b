// The undo offer after a decision: visible for 10 seconds with a countdown, then gone.
const toast = document.getElementById('undo-toast');
if (toast) {
  const count = toast.querySelector('[data-countdown]');
  let left = 10;
  const timer = setInterval(() => {
    left -= 1;
    if (count) count.textContent = count.textContent.replace(/\d+/, left);
    if (left <= 0) { clearInterval(timer); toast.hidden = true; }
  }, 1000);
}
