"""The public status page: every state in plain Vietnamese, a masked name, nothing else personal."""

import pytest

from fieldapp.receipts.codes import ALPHABET, check_symbol, display_code
from fieldapp.receipts.status import mask_name
from fieldapp.records.states import Action
from tests.receipts.conftest import move, push_household

STATES = [
    ((), "Đã tiếp nhận"),
    ((Action.START,), "Đang rà soát"),
    ((Action.START, Action.RETURN), "Cần bổ sung giấy tờ"),
    ((Action.START, Action.VERIFY), "Đã hoàn thành"),
    ((Action.START, Action.VERIFY, Action.TRANSFER), "Đã hoàn thành"),
    ((Action.START, Action.REJECT), "Không được chấp nhận"),
]


@pytest.mark.parametrize(
    ("actions", "heading"),
    STATES,
    ids=["received", "review", "returned", "verified", "transferred", "rejected"],
)
def test_the_status_page_shows_each_state(client, make, collector_token, clerk, actions, heading):
    answer = push_household(make, collector_token)
    if actions:
        move(answer["id"], clerk, *actions, comment="Thiếu giấy chứng sinh bản gốc")
    response = client.get(f"/r/{answer['receipt_code']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert heading in page
    assert display_code(answer["receipt_code"]) in page
    assert "UBND Xã Mường Lát" in page


#: what a clerk wrote when returning a record in the attack (finding 4 of issue 17)
PRIVATE_COMMENT = "Thiếu giấy tờ của bà Hà Thị Pâng, số định danh 038180001234"


def return_with(client, make, clerk, record_id, **body):
    headers = make.headers(make.token(clerk))
    url = f"/api/v1/records/{record_id}/review"
    assert client.post(url, json={"action": "start"}, headers=headers).status_code == 200
    return client.post(url, json={"action": "return", "comment": PRIVATE_COMMENT, **body}, headers=headers)


def test_a_returned_record_lists_the_ticked_documents_never_the_comment(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    returned = return_with(client, make, clerk, answer["id"], documents=["residence", "birth_certificate"])
    assert returned.status_code == 200
    page = client.get(f"/r/{answer['receipt_code']}").get_data(as_text=True)
    assert "Cần bổ sung giấy tờ" in page
    assert page.index("Giấy khai sinh") < page.index("Giấy xác nhận thông tin về cư trú")  # the list's order
    for private in ("Hà Thị Pâng", "038180001234", "Thiếu giấy tờ của bà"):
        assert private not in page


def test_the_clerks_comment_still_reaches_the_collectors_phone(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    return_with(client, make, clerk, answer["id"], documents=["birth_certificate"])
    changes = make.pull(collector_token).get_json()["changes"]
    assert [c["comment"] for c in changes if c["id"] == answer["id"]] == [PRIVATE_COMMENT]


def test_returned_with_nothing_ticked_says_whom_to_ask(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    return_with(client, make, clerk, answer["id"])
    page = client.get(f"/r/{answer['receipt_code']}").get_data(as_text=True)
    assert "Xin liên hệ cán bộ thu thập của thôn, bản hoặc UBND xã" in page
    assert "Hà Thị Pâng" not in page


def test_a_kind_outside_the_list_is_refused(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    refused = return_with(client, make, clerk, answer["id"], documents=["Giấy của bà Pâng"])
    assert refused.status_code == 422
    assert "documents.0" in refused.get_json()["errors"]


def test_the_document_kinds_read_in_english_on_request(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    return_with(client, make, clerk, answer["id"], documents=["birth_certificate"])
    page = client.get(f"/r/{answer['receipt_code']}?lang=en").get_data(as_text=True)
    assert "Birth certificate" in page and "Giấy khai sinh" not in page


def test_a_rejection_reason_stays_at_the_office(client, make, collector_token, clerk):
    answer = push_household(make, collector_token)
    move(answer["id"], clerk, Action.START, Action.REJECT, comment="Trùng với hồ sơ của Nguyễn Văn Bình")
    page = client.get(f"/r/{answer['receipt_code']}").get_data(as_text=True)
    assert "Không được chấp nhận" in page
    assert "Nguyễn Văn Bình" not in page


def test_only_a_masked_name_is_shown(client, make, collector_token):
    answer = push_household(make, collector_token, head="Nguyễn Thị Hoà")
    page = client.get(f"/r/{answer['receipt_code']}").get_data(as_text=True)
    assert "N*** T** H**" in page
    for personal in ("Nguyễn", "Hoà", "038080001234", "1980", "Pù Toong", answer["id"]):
        assert personal not in page


def test_names_are_masked_to_initials():
    assert mask_name("Nguyễn Thị Hương") == "N*** T** H***"
    assert mask_name("Giàng A Páo") == "G*** A** P**"
    assert mask_name("Thào A Lử & Hờ Thị Dua") == "T*** A** L** & H** T** D**"
    assert mask_name("đặng văn an") == "Đ*** V** A**"


def test_the_office_contact_is_shown_when_known(app, client, make, collector_token):
    answer = push_household(make, collector_token)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["receipts", "office", "14845", "--phone", "0237 3 800 123", "--hours", "Thứ Hai - Thứ Sáu"]
    )
    assert result.exit_code == 0, result.output
    page = client.get(f"/r/{answer['receipt_code']}").get_data(as_text=True)
    assert "0237 3 800 123" in page
    assert "Thứ Hai - Thứ Sáu" in page


def unknown_valid_code() -> str:
    body = "23456789A"
    return body + check_symbol(body)


def test_an_unknown_code_and_a_malformed_code_get_the_same_404(client, make, collector_token):
    real = push_household(make, collector_token)["receipt_code"]
    wrong_check = real[:-1] + next(s for s in ALPHABET if s != real[-1])
    answers = [client.get(f"/r/{code}") for code in (unknown_valid_code(), wrong_check, "hello", "x" * 300)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1
    assert "Không tìm thấy mã biên nhận" in answers[0].get_data(as_text=True)


def test_a_code_allocated_but_not_yet_used_is_unknown(client, make, collector_token):
    pooled = make.pool(collector_token)[0]
    assert client.get(f"/r/{pooled}").status_code == 404


def test_the_lookup_page_takes_a_typed_code(client, make, collector_token):
    code = push_household(make, collector_token)["receipt_code"]
    form = client.get("/r")
    assert form.status_code == 200
    assert 'name="code"' in form.get_data(as_text=True)
    typed = display_code(code).lower().replace("-", " ")
    response = client.get("/r", query_string={"code": typed})
    assert response.status_code == 200
    assert "Đã tiếp nhận" in response.get_data(as_text=True)
    assert client.get("/r", query_string={"code": "ABCDE-FGHJK"}).status_code == 404


def test_the_lookup_page_answers_with_a_trailing_slash_too(client, make, collector_token):
    code = push_household(make, collector_token)["receipt_code"]
    form = client.get("/r/")
    assert form.status_code == 200
    assert 'name="code"' in form.get_data(as_text=True)
    answer = client.get("/r/", query_string={"code": display_code(code)})
    assert answer.status_code == 200
    assert "Đã tiếp nhận" in answer.get_data(as_text=True)


def test_the_status_page_is_tiny_and_needs_no_script(client, make, collector_token):
    code = push_household(make, collector_token)["receipt_code"]
    response = client.get(f"/r/{code}")
    page = response.get_data(as_text=True)
    assert len(response.get_data()) < 3000
    assert "<script" not in page and "style=" not in page
    assert page.count('rel="stylesheet"') == 1
    css = client.get("/static/receipts/status.css")
    assert len(css.get_data()) < 1500
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
