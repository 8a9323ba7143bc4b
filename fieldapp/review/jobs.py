"""The queue's export and the import of the national system's answers, as background jobs."""

import tempfile
from typing import Any

from flask_babel import format_number
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from fieldapp import spreadsheets
from fieldapp.accounts.models import User
from fieldapp.jobs.services import JobFailed, JobFile, JobSummary, Progress, job_kind, read_input
from fieldapp.review import exports, transfers
from fieldapp.review.queue import VN_OFFSET
from fieldapp.review.services import ReviewRefused
from fieldapp.review.web import query_from_args
from fieldapp.timeutil import utcnow

#: refused rows listed on the job page; the downloadable list has them all
SHOWN_REFUSALS = 100


@job_kind("review.export", _l("Xuất danh sách hồ sơ"), back="review.queue")
def export_records(user: User, params: dict[str, Any], progress: Progress) -> JobFile:
    """The queue's records as filtered, one row per person, in the user's area (as the queue shows it)."""
    fmt = params["format"]
    selection = exports.prepare(user, query_from_args(MultiDict(params["query"])))
    if not exports.count_records(selection):
        raise JobFailed("nothing")
    rows = exports.count_rows(selection)
    if fmt == "xlsx" and rows > exports.XLSX_MAX_ROWS:
        raise JobFailed("too_many", n=format_number(exports.XLSX_MAX_ROWS))
    progress.start(rows)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (the job keeps it in the file store, then closes it)
    try:
        exports.WRITERS[fmt](selection, out, progress.advance)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    today = (utcnow() + VN_OFFSET).date()  # the office's date, not the server's
    return JobFile(out, f"ho-so-{today:%Y%m%d}.{fmt}", exports.MIMETYPES[fmt])


@job_kind("review.transfers", _l("Nhập kết quả từ hệ thống hộ tịch"), writes=True, back="review.handoff")
def import_answers(user: User, params: dict[str, Any], progress: Progress) -> JobSummary:
    """Every row of the answers file or none, as `flask records transfer` does; the refusals as a file."""
    try:
        text = transfers.decode(read_input(params["job_id"]))
        result = transfers.import_transfers(user, text, progress)
    except (transfers.AnswersUnreadable, ReviewRefused) as exc:
        raise JobFailed("refused", message=exc.message) from exc
    except transfers.TransferRefused as refused:
        return _refused(refused)
    return JobSummary({"rows": result.rows, "transferred": result.transferred, "unchanged": result.unchanged})


def _refused(refused: transfers.TransferRefused) -> JobSummary:
    shown = [{"line": r.line, "key": r.key, "reason": r.reason} for r in refused.refusals[:SHOWN_REFUSALS]]
    data = {"rows": refused.rows, "transferred": 0, "refused": len(refused.refusals), "refusals": shown}
    return JobSummary(data, JobFile(_refusals_csv(refused), "dong-bi-tu-choi.csv", spreadsheets.CSV_MIME))


def _refusals_csv(refused: transfers.TransferRefused) -> bytes:
    """The refused rows with their reasons, in columns the import reads: fixed, the file can be imported."""
    # the first three are the file format's own column names, in any language
    headers = ["Mã biên nhận", "Số đăng ký", "Ngày đăng ký"]
    headers += [str(_l("Dòng trong tệp đã nhập")), str(_l("Lý do"))]
    rows = ([r.key, r.number, r.typed_date, r.line, r.reason] for r in refused.refusals)
    return spreadsheets.csv_bytes(headers, rows)
