"""Big batches rendered in several processes, then joined into one PDF.

A batch is one WeasyPrint document, so its time is layout and drawing, in one core. With
RECEIPT_RENDER_PROCESSES > 1 (default 1), a batch of RECEIPT_PARALLEL_MIN receipts or more is cut into
that many contiguous parts, each rendered in its own process (started for the batch and gone after it:
no idle memory held by web workers), and the parts are joined page by page with PDFium, in print order.
Each process costs about 2 CPU seconds to start (imports), so it pays only where cores are idle.
"""

import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pypdfium2 as pdfium


def split(items: list, parts: int) -> list[list]:
    """`items` in `parts` contiguous runs of near-equal length, order kept."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for index in range(parts):
        end = start + size + (1 if index < extra else 0)
        if end > start:
            runs.append(items[start:end])
        start = end
    return runs


def render_in_processes(htmls: list[str], fmt: str) -> list[bytes]:
    """Each HTML document as a PDF, one process each (spawned: nothing of the web worker is inherited)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(htmls), mp_context=context) as pool:
        return list(pool.map(_render, htmls, [fmt] * len(htmls)))


def _render(html: str, fmt: str) -> bytes:
    from fieldapp.receipts.pdf import Format, renderer

    return renderer().pdf(html, Format(fmt))


def join_pdfs(bodies: list[bytes]) -> bytes:
    """One PDF holding every page of `bodies`, in order."""
    joined = pdfium.PdfDocument.new()
    for body in bodies:
        part = pdfium.PdfDocument(body)
        joined.import_pages(part)
        part.close()
    out = io.BytesIO()
    joined.save(out)
    joined.close()
    return out.getvalue()
