"""QR codes as small vector SVG: the qrcode matrix drawn as one stroked path of horizontal runs.

One short segment per run of dark modules keeps the SVG small and quick for WeasyPrint to draw (the
qrcode package's own SVG writes a square per module).
"""

import base64

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 2


def qr_svg(text: str) -> str:
    """An SVG document (one <path>, a module is one unit) encoding `text`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # includes the quiet zone
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}.5h{x - start}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="1" d="{"".join(runs)}"/></svg>'
    )


def qr_data_uri(text: str) -> str:
    """The QR as a data: URI for an <img> (CSP allows data: images; WeasyPrint draws it as vectors)."""
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(text).encode()).decode()
