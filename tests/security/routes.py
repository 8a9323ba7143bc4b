"""How the security tests fill a route's arguments from the world, and what they compare before and after.

Shared by the access matrix and the CSRF test: both walk app.url_map, so a new route is covered the day it
is registered, and a route whose arguments nobody explained here fails both until someone does.
"""

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.routing import Rule

from fieldapp.extensions import db
from tests.security.world import World
from tests.support.databases import KEEP_TABLES

#: What a path argument means, by name: the attribute of a DataSet holding its values.
ARGUMENT_SOURCES = {
    "record_id": "record_ids",
    "code": "receipt_codes",
    "receipt_code": "receipt_codes",
    "sha256": "attachments",
    "user_id": "author_ids",
    "book_id": "book_ids",
    "pair_id": "pair_ids",
    "target_id": "target_ids",
    "quota_id": "quota_ids",
    "job_id": "job_ids",
    "device_id": "device_ids",
}
#: Routes (or "METHOD rule") whose argument means something else than its name usually does.
RULE_SOURCES = {
    "GET /review/duplicates/<int:pair_id>": {"pair_id": "pairs_to_read"},
    "POST /review/records/<record_id>/edit": {"record_id": "records_to_edit"},
    "POST /review/duplicates/<int:pair_id>/turn": {"pair_id": "pairs_to_read"},
    "/progress/area/<code>": {"code": "communes"},
    "/progress/district/<code>": {"code": "districts"},
    "/progress/<kind>/<code>/export.<fmt>": {"code": "communes"},
}
#: Query arguments that name an area object, per route.
QUERY_SOURCES = {
    "/receipts/pad.pdf": {"pad": "pad_ids"},
}
#: Arguments with fixed values, whatever the area; a list means one call per value.
FIXED_ARGUMENTS: dict[str, dict[str, Any]] = {
    "/lang/<code>": {"code": "vi"},
    "/static/<path:filename>": {"filename": "css/app.css"},
    "/field/static/<path:name>": {"name": "js/app.js"},
    "/progress/<kind>/<code>/export.<fmt>": {"kind": "commune", "fmt": ["csv", "xlsx", "pdf"]},
    "/progress/indicators/export.<fmt>": {"fmt": ["csv", "xlsx", "pdf"]},
    "/review/export.<fmt>": {"fmt": ["csv", "xlsx"]},
    "/review/handoff/<slug>.<fmt>": {"slug": "khai-sinh", "fmt": ["csv", "xlsx"]},
}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def unknown_arguments(rule: Rule) -> set[str]:
    known = (
        set(ARGUMENT_SOURCES) | set(RULE_SOURCES.get(rule.rule, {})) | set(FIXED_ARGUMENTS.get(rule.rule, {}))
    )
    return set(rule.arguments) - known


def fixed_variants(rule: Rule) -> list[dict[str, Any]]:
    """Every combination of the rule's fixed arguments (one value per list)."""
    variants: list[dict[str, Any]] = [{}]
    for name, value in FIXED_ARGUMENTS.get(rule.rule, {}).items():
        values = value if isinstance(value, list) else [value]
        variants = [{**v, name: one} for v in variants for one in values]
    return variants


def area_arguments(rule: Rule, world: World, target: str, method: str = "GET") -> dict[str, Any] | None:
    """The rule's path and query arguments naming the target's objects; None when it has none of them."""
    sources = {
        **ARGUMENT_SOURCES,
        **RULE_SOURCES.get(rule.rule, {}),
        **RULE_SOURCES.get(f"{method} {rule.rule}", {}),
    }
    fixed = FIXED_ARGUMENTS.get(rule.rule, {})
    values = {}
    for name in [*(set(rule.arguments) - set(fixed)), *QUERY_SOURCES.get(rule.rule, {})]:
        attribute = QUERY_SOURCES.get(rule.rule, {}).get(name) or sources[name]
        found = getattr(world.data[target], attribute)
        if not found:  # nothing of this kind tells this data set apart
            return None
        values[name] = found[0]
    return values


def names_area_objects(rule: Rule) -> bool:
    return bool(set(rule.arguments) - set(FIXED_ARGUMENTS.get(rule.rule, {})) or rule.rule in QUERY_SOURCES)


def build_path(rule: Rule, values: dict[str, Any]) -> str:
    """The URL of a rule; arguments it does not take become the query string."""
    return rule.build(values, append_unknown=True)[1]


def state_changing(app: Flask) -> list[tuple[Rule, str]]:
    """Every (rule, method) that may change something, sorted."""
    found = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted((rule.methods or set()) & WRITE_METHODS)
    ]
    return sorted(found, key=lambda pair: (pair[0].rule, pair[1]))


#: columns a refused request may still move: a device token's last use and its sliding expiry
VOLATILE_COLUMNS = {"devices": {"last_seen_at", "expires_at"}}


def database_state(upload_dir: str | Path, leave_out_jobs: frozenset[str] = frozenset()) -> dict[str, str]:
    """A digest of every table's rows (reference tables aside) and of the stored files, by name; the jobs
    named in `leave_out_jobs` (the caller's own, just asked for) and their files are left out."""
    state = {}
    for table in db.metadata.sorted_tables:
        if table.name in KEEP_TABLES:
            continue
        columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS.get(table.name, set())]
        query = select(*columns)
        if table.name == "jobs" and leave_out_jobs:
            query = query.where(table.c.id.not_in(leave_out_jobs))
        rows = sorted(repr(tuple(row)) for row in db.session.execute(query))
        state[table.name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    files = sorted(
        str(p.relative_to(upload_dir))
        for p in Path(upload_dir).rglob("*")
        if p.is_file() and p.name.split(".")[0] not in leave_out_jobs
    )
    state["<uploads>"] = hashlib.sha256("\n".join(files).encode()).hexdigest()
    db.session.rollback()  # end the read: what a worker commits next is seen by the next look
    return state


def job_ids() -> frozenset[str]:
    from fieldapp.jobs.models import Job

    found = frozenset(db.session.scalars(select(Job.id)))
    db.session.rollback()
    return found


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
