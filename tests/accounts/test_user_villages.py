"""An administrator assigns a collector's villages on the user page; the phone's registry follows."""

import unicodedata

import pytest

from fieldapp.accounts.models import Role, User
from fieldapp.extensions import db
from tests.review.conftest import sign_in
from tests.support.builders import household_data, item

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def save(client, csrf, user, text):
    return client.post(f"/users/{user.id}", data={"csrf_token": csrf, "villages": text})


def stored(user):
    db.session.expire_all()
    return db.session.get(User, user.id).villages


@pytest.fixture
def collector(make):
    return make.user(Role.COLLECTOR, full_name="Lò Văn Pản")


def test_the_administrator_lists_users_and_assigns_villages_one_per_line(client, make, collector):
    csrf = sign_in(client, make, Role.ADMIN, None)
    listing = client.get("/users/").get_data(as_text=True)
    assert "Lò Văn Pản" in listing and "Cán bộ thu thập" in listing and "Xã Mường Lát" in listing
    form = client.get(f"/users/{collector.id}").get_data(as_text=True)
    assert "Thôn, bản được giao (mỗi dòng một thôn)" in form
    nfd = unicodedata.normalize("NFD", "Bản Lát")
    response = save(client, csrf, collector, f"  Bản Pù   Toong \r\n\r\nban pu toong\n{nfd}\n")
    assert response.status_code == 303
    assert stored(collector) == ["Bản Pù Toong", "Bản Lát"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã giao 2 thôn cho" in page and "Bản Pù Toong\nBản Lát</textarea>" in page


def test_the_phone_then_gets_only_those_villages(client, make, collector):
    token = make.token(collector)
    kept = item("household")
    make.push(token, [kept, item("household", data=household_data(village="Bản Ón"))])
    csrf = sign_in(client, make, Role.ADMIN, None)
    form = client.get(f"/users/{collector.id}").get_data(as_text=True)
    assert "Thôn đã có trong hồ sơ của xã: Bản Ón, Bản Pù Toong" in form
    save(client, csrf, collector, "Bản Pù Toong")
    assert [h["id"] for h in make.registry(token).get_json()["households"]] == [kept["id"]]


def test_an_empty_list_means_the_whole_commune(client, make):
    collector = make.user(Role.COLLECTOR, villages=["Bản Lát"])
    csrf = sign_in(client, make, Role.ADMIN, None)
    assert save(client, csrf, collector, " \n ").status_code == 303
    assert stored(collector) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("\n".join(f"Bản {n}" for n in range(51)), "Tối đa 50 thôn cho một người."),
        ("Bản " + "a" * 120, "dài quá 120 ký tự"),
    ],
)
def test_too_many_or_too_long_villages_are_refused_and_nothing_is_saved(client, make, text, message):
    collector = make.user(Role.COLLECTOR, villages=["Bản Lát"])
    csrf = sign_in(client, make, Role.ADMIN, None)
    response = save(client, csrf, collector, text)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert "Bản " in html[html.index("<textarea") :]  # what was typed comes back to fix
    assert stored(collector) == ["Bản Lát"]


@pytest.mark.parametrize(("role", "area"), [(Role.COLLECTOR, "38"), (Role.CLERK, "14845")])
def test_villages_only_for_a_collector_of_one_commune(client, make, role, area):
    other = make.user(role, area)
    csrf = sign_in(client, make, Role.ADMIN, None)
    response = save(client, csrf, other, "Bản Lát")
    assert response.status_code == 422
    assert "Chỉ giao thôn cho cán bộ thu thập được giao một xã." in response.get_data(as_text=True)
    assert stored(other) is None


@pytest.mark.parametrize("role", [Role.CLERK, Role.MANAGER])
def test_only_an_administrator_edits_users(client, make, collector, role):
    csrf = sign_in(client, make, role)
    assert client.get("/users/").status_code == 403
    assert save(client, csrf, collector, "Bản Lát").status_code == 403
    assert stored(collector) is None


def test_the_command_line_assigns_villages_too(app, make, collector):
    result = app.test_cli_runner().invoke(args=["user", "villages", collector.username, "Bản Lát", "ban lat"])
    assert result.exit_code == 0, result.output
    assert stored(collector) == ["Bản Lát"]
