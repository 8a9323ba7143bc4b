"""The household registry on the phone, as the browser tests drive it: households seeded through the
sync API, a collector's phone logged in with them downloaded, the registry's screens and its IndexedDB."""

from pathlib import Path
from typing import Any

from fieldapp.accounts.models import User
from fieldapp.extensions import db
from tests.browser import flows
from tests.support.builders import Builders, household_data, item, person

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

PAO = [
    {**person(full_name="Lò Văn Páo", date_of_birth="1980-03-15", ethnicity="03"), "relationship": "head"},
    {
        **person(
            full_name="Hà Thị Pâng",
            sex="female",
            date_of_birth="1983",
            ethnicity="03",
            personal_id="038183004322",
        ),
        "relationship": "spouse",
    },
]
THANG = [
    {
        **person(full_name="Nguyễn Văn Thắng", date_of_birth="1975", personal_id="038075002468"),
        "relationship": "head",
    }
]


def seed(
    live: Any, collector: dict[str, Any], households: list[list[dict[str, Any]]], village: str
) -> list[dict[str, Any]]:
    """Households of `village` pushed by `collector` (the sync API): their id, receipt code and head."""
    with live.app.app_context():
        make = Builders(live.app)
        token = make.token(db.session.get(User, collector["id"]))
        items = [
            item("household", data=household_data(village=village, members=members)) for members in households
        ]
        answer = make.push(token, items).get_json()["results"]
    assert {r["status"] for r in answer} == {"created"}
    return [
        {"id": r["id"], "code": r["receipt_code"], "head": members[0]["full_name"]}
        for r, members in zip(answer, households, strict=True)
    ]


def worker(live: Any, village: str) -> dict[str, Any]:
    """A collector assigned one village: the live server is shared, each test keeps to its own village."""
    return live.user(villages=[village])


def logged_in(live: Any, phone: Any, village: str, households: list, *, own: bool = False) -> tuple:
    """Households of `village` (another collector's, or the phone user's own), and a phone that has
    logged in and downloaded them: (page, user, seeded)."""
    user = worker(live, village)
    seeded = seed(live, user if own else live.user(), households, village)
    page = phone.open().new_page()
    flows.first_login(page, live.url, user)
    return page, user, seeded


def fill_person(scope: Any, name: str, sex: str, born: str, ethnicity: str, pid: str | None = None) -> None:
    """A person's block of a form (a member, the deceased), by the fields' keys inside `scope`."""
    scope.locator("[data-key=full_name]").fill(name)
    scope.locator("[data-key=sex]").select_option(sex)
    scope.locator("[data-key=date_of_birth]").fill(born)
    scope.locator("[data-key=ethnicity]").select_option(ethnicity)
    if pid:
        scope.locator("[data-key=personal_id]").fill(pid)


def stored(page: Any, store: str, key: str | None = None) -> Any:
    """What IndexedDB holds, read the way someone with the phone's files would: a kv setting, or the rows
    of a store with their bytes left out (sealed boxes are bytes)."""
    return page.evaluate(
        """([store, key]) => new Promise((resolve, reject) => {
            const open = indexedDB.open('fieldapp');
            open.onsuccess = () => {
                const s = open.result.transaction(store).objectStore(store);
                const q = key === null ? s.getAll() : s.get(key);
                q.onsuccess = () => resolve(JSON.parse(JSON.stringify(q.result ?? null,
                    (k, v) => (v instanceof Uint8Array ? undefined : v))));
                q.onerror = () => reject(q.error);
            };
        })""",
        [store, key],
    )


def open_households(page: Any) -> None:
    """One tap from the home screen."""
    page.evaluate("location.hash = '#home'")
    page.click("#households-link")
    page.wait_for_selector("#villages li")


def search(page: Any, text: str) -> list[str]:
    page.fill("#registry-search", text)
    page.wait_for_function("(text) => document.body.dataset.searched === text", arg=text)
    return page.locator("#results .name").all_inner_texts()


def open_household(page: Any, head: str) -> None:
    page.fill("#registry-search", head)
    page.click(f"#results .name:text-is('{head}')")
    page.wait_for_selector("#household-head")
