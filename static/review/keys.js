// Keyboard for the review pages: "/" search, j/k next/previous, Enter open; on a record page
// j/k go to the next/previous record of the queue, v verify, r return, s start, e edit, u undo.
// A decision taken by one key can be undone for 10 seconds; the keys can be switched off.
import { shortcutsOn, wireToggle } from './shortcuts.js';

const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

function queueKeys(table) {
  const rows = [...table.querySelectorAll("tbody tr")];
  let current = -1;
  const select = (i) => {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach((row, n) => row.classList.toggle("selected", n === current));
    rows[current].querySelector("a").focus();
  };
  return (key) => {
    if (key === "j") select(current + 1);
    else if (key === "k") select(current - 1);
    else return false;
    return true;
  };
}

function recordKeys(page) {
  const go = (id) => {
    const link = document.getElementById(id);
    if (link) window.location.assign(link.href);
    return Boolean(link);
  };
  const submit = (action) => {
    const form = page.querySelector(`form[data-action="${action}"]`);
    if (!form) return false;
    const needs = form.querySelector("[data-required]");
    if (needs) { needs.focus(); return true; }
    form.requestSubmit();
    return true;
  };
  return (key) => {
    if (key === "j") return go("next-record");
    if (key === "k") return go("previous-record");
    if (key === "v") return submit("verify");
    if (key === "s") return submit("start");
    if (key === "u") {
      const undo = document.querySelector("#undo-toast:not([hidden]) button");
      if (undo) undo.click();
      return Boolean(undo);
    }
    if (key === "r") {
      const field = page.querySelector('form[data-action="return"] textarea');
      if (field) field.focus();
      return Boolean(field);
    }
    if (key === "e") {
      const first = page.querySelector("#edit-form input:not([type=hidden]):not([readonly])");
      if (first) first.focus();
      return Boolean(first);
    }
    return false;
  };
}

const table = document.getElementById("queue");
const page = document.getElementById("record-page");
const handler = table ? queueKeys(table) : page ? recordKeys(page) : () => false;
wireToggle();

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Escape" && typing(document.activeElement)) { document.activeElement.blur(); return; }
  if (typing(document.activeElement) || !shortcutsOn()) return;
  if (event.key === "/") {
    const search = document.getElementById("queue-search");
    if (search) { event.preventDefault(); search.focus(); search.select(); }
    return;
  }
  if (handler(event.key)) event.preventDefault();
});
