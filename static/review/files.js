// A file input shows the chosen file's name beside the page's own button (see templates/forms/_file.html).
for (const input of document.querySelectorAll('input[type=file][data-state]')) {
  const state = document.getElementById(input.dataset.state);
  input.addEventListener('change', () => {
    const names = [...input.files].map((file) => file.name);
    state.textContent = names.length ? names.join(', ') : state.dataset.empty;
  });
}
