"""Receipt PDFs: receipts per second one at a time, and a 500-receipt batch as one PDF, with peak memory.

    python bench/receipts_bench.py [--singles 40] [--batch 500]

Three paths in the same run, each scenario in a fresh process (so its peak resident memory is its own):
- "default": WeasyPrint's ordinary use: stylesheets and font configuration built for every PDF, the full
  Debian Noto Sans (fonts-noto-core, 500 KB a weight) subset by WeasyPrint for every PDF;
- "whole-font": stylesheets and fonts cached, the pre-cut receipt font embedded whole (`full_fonts`);
- "fast" (what fieldapp serves): stylesheets and font configuration parsed once per thread and reused,
  and Noto Sans already cut to Latin + Vietnamese (static/receipts/fonts, 50 KB a weight), which
  WeasyPrint (HarfBuzz) subsets further in little time;
- "fast-2proc" (batches only; what fieldapp does for batches of RECEIPT_PARALLEL_MIN or more): the fast
  path in two spawned processes, each rendering half of the batch, joined into one PDF with PDFium.
  Its CPU seconds include the two children's; its peak memory is the parent's (each child's is lower).
The receipts are households of Thanh Hóa communes with Vietnamese names; each has its own code and QR.
Wall time depends on what else the machine runs; CPU seconds (this process) do not, much.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import databases  # noqa: E402

NAMES = ["Nguyễn Thị Hoà", "Lò Văn Pản", "Hà Thị Pâng", "Giàng A Páo", "Đặng Thị Ượng", "Vi Văn Chiến"]
VILLAGES = ["Bản Pù Toong", "Bản Lát", "Bản Ón", "Thôn Đông Sơn"]
COMMUNES = ["14845", "14857"]
PATHS = ("default", "whole-font", "fast")
BATCH_ONLY_PATHS = ("fast-2proc",)


def cpu_seconds() -> float:
    """CPU time of this process and of the children it waited for (the render processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_records(count: int) -> list:
    from fieldapp.receipts.codes import new_code
    from fieldapp.records.models import Record, RecordType

    return [
        Record(
            id=str(uuid.uuid4()),
            type=list(RecordType)[i % 4],
            province_code="38",
            commune_code=COMMUNES[i % 2],
            village=VILLAGES[i % 4],
            subject_name=NAMES[i % len(NAMES)],
            receipt_code=new_code(),
            captured_at=datetime(2025, 11, 20, 2, 30),
        )
        for i in range(count)
    ]


def run_scenario(database_url: str, workdir: Path, path: str, kind: str, count: int) -> dict:
    """In this process: render `count` receipts one at a time, or one PDF of `count` pages."""
    from fieldapp import create_app
    from fieldapp.receipts import pdf, slips

    app = create_app({**databases.base_config(database_url, workdir), "FIELDAPP_LOG_LEVEL": "WARNING"})
    with app.test_request_context():
        engine = pdf.Renderer(fast=path != "default", full_fonts=path == "whole-font")
        processes = 2 if path == "fast-2proc" else 1
        records = make_records(count)
        warm = slips.record_slips(records[:1], "https://fieldapp.example")
        pdf.receipts_pdf(warm, pdf.Format.A5, engine=engine)  # imports, caches: not what a receipt costs
        before = peak_mb()
        started, cpu_started = time.perf_counter(), cpu_seconds()
        if kind == "single":
            sizes = []
            for record in records:
                body = pdf.receipts_pdf(
                    slips.record_slips([record], "https://fieldapp.example"), pdf.Format.A5, engine=engine
                )
                sizes.append(len(body))
            size = sum(sizes) / len(sizes)
        else:
            batch = slips.record_slips(records, "https://fieldapp.example")
            body = pdf.receipts_pdf(batch, pdf.Format.A5, engine=engine, processes=processes)
            size = len(body)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return {
        "path": path,
        "kind": kind,
        "count": count,
        "seconds": round(seconds, 2),
        "per_second": round(count / seconds, 1),
        "cpu_seconds": round(cpu, 2),
        "per_cpu_second": round(count / cpu, 1),
        "pdf_kb": round(size / 1024, 1),
        "peak_rss_mb": round(peak_mb(), 1),
        "rss_before_mb": round(before, 1),
    }


def status_page_bytes(database_url: str, workdir: Path) -> dict:
    """Bytes a phone downloads to open the public status page of a receipt (first visit: page + CSS)."""
    import gzip

    from fieldapp import create_app
    from fieldapp.extensions import db
    from tests.support.builders import Builders, item

    app = create_app(databases.base_config(database_url, workdir))
    with app.app_context():
        make = Builders(app)
        answer = make.push(make.collector_token(), [item("household")]).get_json()["results"][0]
        client = app.test_client()
        page = client.get(f"/r/{answer['receipt_code']}").get_data()
        css = client.get("/static/receipts/status.css").get_data()
        db.session.remove()
    return {
        "html": len(page),
        "css": len(css),
        "html_gzip": len(gzip.compress(page)),
        "css_gzip": len(gzip.compress(css)),
    }


def child(args: argparse.Namespace) -> None:
    result = run_scenario(args.database, Path(args.workdir), args.path, args.kind, args.count)
    print(json.dumps(result))


def parent(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database = workdir / "bench.sqlite3"
        databases.migrate_and_load_units(f"sqlite:///{database}", workdir)
        results = {}
        for kind, count in (("single", args.singles), ("batch", args.batch)):
            for path in PATHS + (BATCH_ONLY_PATHS if kind == "batch" else ()):
                command = [sys.executable, __file__, "--child", "--database", f"sqlite:///{database}"]
                command += ["--workdir", tmp, "--path", path, "--kind", kind, "--count", str(count)]
                output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
                results[(kind, path)] = json.loads(output.strip().splitlines()[-1])
        page = status_page_bytes(f"sqlite:///{database}", workdir)
    report(results, args)
    print(
        f"status page /r/<code>: {page['html']} B HTML + {page['css']} B CSS "
        f"({page['html_gzip']} + {page['css_gzip']} B gzipped), no script, no image, no font"
    )


def report(results: dict, args: argparse.Namespace) -> None:
    print(
        f"{'scenario':<26}{'wall s':>8}{'receipts/s':>12}{'CPU s':>8}{'per CPU s':>11}"
        f"{'PDF KB':>9}{'peak RSS MB':>13}"
    )
    for (kind, path), r in results.items():
        label = f"{kind} x{r['count']} {path}"
        print(
            f"{label:<26}{r['seconds']:>8}{r['per_second']:>12}{r['cpu_seconds']:>8}{r['per_cpu_second']:>11}"
            f"{r['pdf_kb']:>9}{r['peak_rss_mb']:>13}"
        )
    parallel = results[("batch", "fast")]["seconds"] / results[("batch", "fast-2proc")]["seconds"]
    print(f"batch of {args.batch}, two processes vs one (wall): {parallel:.2f}x")
    for measure, name in (("seconds", "wall"), ("cpu_seconds", "CPU")):
        single = results[("single", "default")][measure] / results[("single", "fast")][measure]
        batch = results[("batch", "default")][measure] / results[("batch", "fast")][measure]
        print(f"fast vs default ({name}): single receipts {single:.2f}x, batch of {args.batch} {batch:.2f}x")
    print(
        f"targets: >= 10 single receipts/s: {results[('single', 'fast')]['per_second']} ; "
        f"batch of {args.batch} < 30 s: {results[('batch', 'fast-2proc')]['seconds']} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--singles", type=int, default=40, help="receipts rendered one PDF each")
    parser.add_argument("--batch", type=int, default=500, help="receipts in the one batch PDF")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--path", choices=PATHS + BATCH_ONLY_PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--kind", choices=["single", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    child(args) if args.child else parent(args)


if __name__ == "__main__":
    main()
