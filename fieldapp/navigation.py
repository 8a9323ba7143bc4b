"""The office pages' menu: each part lists its pages here, with the roles that see them."""

from dataclasses import dataclass
from typing import Any

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from fieldapp.accounts.models import Role

STAFF = frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any
    roles: frozenset[Role]


#: Add a part's pages here; an entry whose endpoint is not registered is skipped.
NAV_ITEMS: list[NavItem] = [
    NavItem("review.queue", _l("Hồ sơ cần rà soát"), frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})),
    NavItem("review.books", _l("Sổ hộ tịch"), frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})),
    NavItem("review.duplicates", _l("Hồ sơ trùng"), frozenset({Role.CLERK, Role.ADMIN})),
    NavItem("review.handoff", _l("Chuyển hệ thống"), frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})),
    NavItem("receipts.batch", _l("In biên nhận"), frozenset({Role.CLERK, Role.ADMIN})),
    NavItem("receipts.pad", _l("Phiếu biên nhận dự phòng"), frozenset({Role.COLLECTOR})),
    NavItem("progress.dashboard", _l("Tiến độ"), frozenset({Role.CLERK, Role.MANAGER, Role.ADMIN})),
    NavItem("progress.indicators", _l("Chỉ tiêu đăng ký"), frozenset({Role.MANAGER, Role.ADMIN})),
    NavItem("progress.targets", _l("Giao chỉ tiêu"), frozenset({Role.MANAGER, Role.ADMIN})),
    NavItem("field.app", _l("Ứng dụng thu thập"), frozenset({Role.COLLECTOR})),
    NavItem("devices.list", _l("Thiết bị"), frozenset({Role.MANAGER, Role.ADMIN})),
    NavItem("users.list", _l("Tài khoản người dùng"), frozenset({Role.ADMIN})),
    NavItem("field.import_file", _l("Nhập tệp từ điện thoại"), frozenset({Role.CLERK, Role.ADMIN})),
]


def register_navigation(app: Flask) -> None:
    @app.context_processor
    def _navigation() -> dict[str, Any]:
        return {"nav_items": visible_items(app), "current_locale": str(get_locale() or "vi")}


def visible_items(app: Flask) -> list[dict[str, Any]]:
    if not current_user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if current_user.role in item.roles and item.endpoint in app.view_functions:
            url = url_for(item.endpoint)
            items.append({"url": url, "label": item.label, "active": request.path.startswith(url)})
    return items
