"""A tool missing on a developer's machine skips its tests; missing in CI it fails them."""

import pytest

from tests.support import requirements


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_a_missing_tool_fails_in_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match=r"pg_dump_absent.*CI must run"):
        requirements.require_program("pg_dump_absent")


def test_a_missing_module_and_browser_fail_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(requirements, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(pytest.fail.Exception, match="zxingcpp_absent"):
        requirements.require_module("zxingcpp_absent")
    with pytest.raises(pytest.fail.Exception, match="/nonexistent/chromium"):
        requirements.require_chromium()


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_a_missing_tool_skips_elsewhere(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception, match="pg_dump_absent"):
        requirements.require_program("pg_dump_absent")


def test_a_present_tool_is_returned(monkeypatch):
    monkeypatch.setenv("CI", "true")
    assert requirements.require_program("sh").endswith("/sh")
    assert requirements.require_module("json").dumps([]) == "[]"
