"""The batch page offers a village's print only when it can be done in one go: a village past the limit
says to print it by date instead of offering buttons whose job always fails."""

import re

import pytest

from tests.receipts.conftest import push_household, sign_in

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RECEIPT_BATCH_MAX": 2}


def test_a_village_past_the_limit_is_sent_to_the_date_filter(client, make, collector_token, clerk):
    for head in ("Lò Văn A", "Hà Thị B", "Vi Văn C"):
        push_household(make, collector_token, head=head)
    push_household(make, collector_token, head="Cầm Thị D", village="Bản Lát")
    sign_in(client, clerk)
    html = client.get("/receipts/batch").get_data(as_text=True)
    table = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    rows = {re.findall(r"<td>([^<]*)</td>", row)[1]: row for row in table}
    assert "Hơn 2 biên nhận: in theo bộ lọc bên dưới" in rows["Bản Pù Toong"]
    assert 'name="format"' not in rows["Bản Pù Toong"]
    assert 'name="format"' in rows["Bản Lát"]  # one receipt: its print buttons
