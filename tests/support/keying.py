"""A clerk at the keyboard: keys register entries into /review/books/<id> with keys alone, counting them.

The driver only reads where the focus is (to know which field it is in); every action is a key press.
"""

from dataclasses import dataclass

from playwright.sync_api import Page

from tests.support.register import Entry

_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || !el.name) return null;
  const shown = el.tagName === 'SELECT' ? (el.selectedOptions[0]?.textContent || '') : el.value;
  return {name: el.name, shown, open: el.getAttribute('aria-expanded') === 'true'};
}"""


@dataclass
class Keyboard:
    page: Page
    pace_ms: float = 0
    strokes: int = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key, delay=self.pace_ms)
        self.strokes += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=self.pace_ms)
        self.strokes += len(text)


def key_entry(keys: Keyboard, entry: Entry, *, save: bool = True, limit: int = 60) -> None:
    """Type one entry from the entry number on, Tab between fields, Enter after the last value."""
    left = dict(entry.values)
    for _ in range(limit):
        focused = keys.page.evaluate(_FOCUSED)
        if focused is None:
            raise AssertionError("the focus left the form")
        name = focused["name"]
        if name == "entry_number":
            if focused["shown"] != entry.number:
                keys.type(entry.number)
        elif name.startswith("d:") and name[2:] in left:
            value = left.pop(name[2:])
            if focused["shown"] != value.shown or value.lunar:
                keys.type(value.keys + ("a" if value.lunar else ""))
            if not left:
                if keys.page.evaluate(_FOCUSED)["open"]:
                    keys.press("Enter")  # takes the highlighted name
                if save:
                    keys.press("Enter")
                return
        keys.press("Tab")
    raise AssertionError(f"entry {entry.number}: fields never reached: {sorted(left)}")
