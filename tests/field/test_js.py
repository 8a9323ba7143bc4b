"""The phone's JavaScript: node's own test runner for the pure modules, zxing-cpp for the QR encoder."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.support.requirements import require_module

ROOT = Path(__file__).resolve().parents[2]
NODE = shutil.which("node")
# In CI node must be there (.ci/run installs it): a silent skip would hide the JavaScript tests.
pytestmark = pytest.mark.skipif(NODE is None and not os.environ.get("CI"), reason="node is not installed")


def test_javascript_unit_tests_pass() -> None:
    run = subprocess.run(
        [NODE, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def qr_matrices(texts: list[str]) -> list[list[str]]:
    script = (
        f"import {{ qrMatrix }} from '{ROOT / 'static/field/js/qr.js'}';"
        "const texts = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(texts.map(t => qrMatrix(t).map(r => r.map(d => d ? 1 : 0).join('')))));"
    )
    run = subprocess.run(
        [NODE, "--input-type=module", "-e", script, json.dumps(texts)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(run.stdout)


def render(matrix: list[str], scale: int = 6) -> Image.Image:
    size = (len(matrix) + 8) * scale
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark == "1":
                image.paste(0, ((x + 4) * scale, (y + 4) * scale, (x + 5) * scale, (y + 5) * scale))
    return image


def test_qr_codes_drawn_on_the_phone_decode_to_the_status_url() -> None:
    zxingcpp = require_module("zxingcpp")
    texts = [
        "http://fieldapp.test/r/K7QX2MP9RD",
        "https://hotich.thanhhoa.gov.vn/r/23456789AB",
        "https://một-địa-chỉ-dài.example.vn/trang-tra-cứu/r/K7QX2MP9RD?lang=vi",
        "x" * 100,
    ]
    for text, matrix in zip(texts, qr_matrices(texts), strict=True):
        found = zxingcpp.read_barcodes(render(matrix))
        assert [code.text for code in found] == [text]
