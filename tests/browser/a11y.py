"""Accessibility checks run in the browser: axe-core (the copy packaged with axe-playwright-python, no
download at test time), tap-target sizes, and a crawl of the office pages a signed-in user can reach."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe  # a missing axe fails the tests, in CI and here
from flask import Flask
from playwright.sync_api import Page
from werkzeug.exceptions import HTTPException

SEVERE = {"serious", "critical"}
MIN_TAP_PX = 44
#: endpoints that are no page to look at: files, downloads, redirects, the phone app (checked on its own)
NOT_PAGES = {
    "accounts.set_language",
    "accounts.logout",
    "field.app",
    "health.healthz",
    "review.attachment",
    "static",
}
#: "Xã: Xã Mường Lát", "Xã, phường\tXã Mường Lát": a label that is only a unit type, then a name with one
#: (a list of choices, "Tỉnh\nXã\nHuyện (cũ)", is no such thing: there the next word is no name)
UNIT_TYPES = r"(?:xã|phường|thị trấn|đặc khu|tỉnh|thành phố|huyện|quận|thị xã)"
DOUBLED_UNIT_TYPE = re.compile(
    rf"(?im)(?:^|\t)[ ]*{UNIT_TYPES}(?:[ ]*,[ ]*{UNIT_TYPES})*[ ]*(?::\s*|[ ]*[\t\n]\s*){UNIT_TYPES} \w"
)

_axe = Axe()


def severe_violations(page: Page, *, contrast: bool = True) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line per element.
    Colour contrast takes most of axe's time (5 s on a queue page): `contrast=False` leaves it out
    where the same template's colours were checked already."""
    options = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    found = _axe.run(page, options=options).response["violations"]
    return [
        f"{rule['id']} ({rule['impact']}): {', '.join(map(str, node['target']))}: {rule['help']}"
        for rule in found
        if rule["impact"] in SEVERE
        for node in rule["nodes"]
    ]


#: every control a finger taps; a checkbox or radio counts with its label, the row the user taps on
_SMALL_TARGETS_JS = """(minimum) => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex="0"]');
  const small = [];
  for (const control of controls) {
    if (!control.getClientRects().length || getComputedStyle(control).visibility === 'hidden') continue;
    const choice = control.matches('input[type=checkbox], input[type=radio]');
    const target = (choice && control.closest('label')) || control;
    const box = target.getBoundingClientRect();
    if (box.width < minimum || box.height < minimum) {
      const name = (control.id ? '#' + control.id : '') || control.getAttribute('name') || '';
      const text = (target.innerText || control.value || '').trim().slice(0, 40);
      small.push(`${control.tagName.toLowerCase()}${name ? ' ' + name : ''} "${text}": `
        + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def small_tap_targets(page: Page) -> list[str]:
    """Visible controls whose tap target is narrower or lower than 44 CSS px."""
    return page.evaluate(_SMALL_TARGETS_JS, MIN_TAP_PX)


def doubled_unit_types(page: Page) -> list[str]:
    return [match.group(0).strip() for match in DOUBLED_UNIT_TYPE.finditer(page.inner_text("body"))]


@dataclass
class Crawl:
    """The office pages one user reaches by following links, one page per endpoint."""

    app: Flask
    base: str
    seen: dict[str, str] = field(default_factory=dict)  # endpoint -> the URL looked at

    def endpoint(self, url: str) -> str | None:
        parts = urlsplit(url)
        if not url.startswith(self.base) or parts.path.rsplit("/", 1)[-1].count("."):
            return None  # another site, or a file (PDF, CSV, Excel, icon, manifest)
        try:
            endpoint, _args = self.app.url_map.bind("localhost").match(parts.path, method="GET")
        except HTTPException:
            return None
        return None if endpoint in NOT_PAGES else endpoint

    def pages(self, page: Page, start: str) -> Iterator[tuple[str, str]]:
        """Open each new endpoint's first link, breadth first; yields (URL, endpoint) once it has loaded."""
        queue = [start]
        while queue:
            url = queue.pop(0)
            endpoint = self.endpoint(url)
            if endpoint is None or endpoint in self.seen:
                continue
            self.seen[endpoint] = url
            page.goto(url)
            yield url, endpoint
            links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href.split('#')[0])")
            queue += [link for link in links if link not in queue]


def look_at_every_page(
    crawl: Crawl, page: Page, start: str, check: Callable[[Page, bool], list[str]], contrast_done: set[str]
) -> list[str]:
    """Each crawled page's problems, prefixed with its path; colour contrast once per endpoint, whoever
    looks (a page's colours do not depend on the role)."""
    problems = []
    for url, endpoint in crawl.pages(page, start):
        found = check(page, endpoint not in contrast_done)
        contrast_done.add(endpoint)
        problems += [f"{url.removeprefix(crawl.base)}: {p}" for p in found]
    return problems
