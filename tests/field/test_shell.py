"""The field app's shell and assets: hashed names, pre-compressed copies, cache lifetimes, service worker."""

import gzip
import io
import json
import re

import brotli
import pytest

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def asset_urls(client) -> list[str]:
    html = brotli.decompress(client.get("/field/", headers={"Accept-Encoding": "br"}).data).decode()
    return re.findall(r'(?:href|src)="(/field/static/[^"]+)"', html)


def test_shell_is_short_lived_and_names_hashed_assets(client) -> None:
    response = client.get("/field/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.headers["Cache-Control"] == "no-cache"
    urls = asset_urls(client)
    assert any(re.search(r"/js/app\.[0-9a-f]{12}\.js$", url) for url in urls)
    assert any(re.search(r"/css/field\.[0-9a-f]{12}\.css$", url) for url in urls)


def test_assets_are_served_precompressed_and_immutable(client) -> None:
    url = next(u for u in asset_urls(client) if "/js/app." in u)
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    as_br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    as_gzip = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert plain.headers.get("Content-Encoding") is None
    assert as_br.headers["Content-Encoding"] == "br"
    assert as_gzip.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(as_br.data) == plain.data == gzip.decompress(as_gzip.data)
    assert as_br.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in as_br.headers["Vary"]
    assert plain.mimetype == "text/javascript"


def test_imports_point_at_hashed_modules(client) -> None:
    url = next(u for u in asset_urls(client) if "/js/app." in u)
    source = client.get(url).data.decode()
    imported = re.findall(r'from "\./([^"]+)"', source.replace("'", '"'))
    assert imported and all(re.fullmatch(r"\w+\.[0-9a-f]{12}\.js", name) for name in imported)
    for name in imported:
        assert client.get(f"/field/static/js/{name}").status_code == 200


def test_unknown_or_escaping_asset_paths_are_404(client) -> None:
    assert client.get("/field/static/js/nothing.js").status_code == 404
    assert client.get("/field/static/../../fieldapp/config.py").status_code == 404


def test_service_worker_precaches_the_shell_and_every_asset(client) -> None:
    response = client.get("/sw.js")
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
    body = response.data.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*\]);", body).group(1))
    assert precache[0] == "/field/"
    assert set(asset_urls(client)) <= set(precache)
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', body)


def test_manifest_makes_the_app_installable(client) -> None:
    manifest = client.get("/field/manifest.webmanifest").get_json()
    assert manifest["start_url"] == "/field/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).mimetype == "image/png"


def test_manifest_has_a_maskable_icon_drawn_inside_the_safe_zone(client) -> None:
    from PIL import Image

    icons = client.get("/field/manifest.webmanifest").get_json()["icons"]
    (maskable,) = [icon for icon in icons if icon.get("purpose") == "maskable"]
    image = Image.open(io.BytesIO(client.get(maskable["src"]).data)).convert("RGB")
    assert f"{image.width}x{image.height}" == maskable["sizes"]
    # a launcher may cut away everything outside the central circle of 80 % of the width
    centre, radius = image.width / 2, image.width * 0.4
    background = image.getpixel((0, 0))
    outside = [
        image.getpixel((x, y))
        for x in range(0, image.width, 4)
        for y in range(0, image.height, 4)
        if (x - centre) ** 2 + (y - centre) ** 2 > radius**2
    ]
    assert set(outside) == {background}
    assert len(image.getcolors(1 << 16)) > 1  # and there is a drawing inside


def test_favicon_is_served_at_the_site_root(client) -> None:
    from PIL import Image

    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]


def test_whole_shell_first_load_is_under_60_kb_compressed(client) -> None:
    total = len(client.get("/field/", headers={"Accept-Encoding": "br"}).data)
    for url in asset_urls(client):
        total += len(client.get(url, headers={"Accept-Encoding": "br"}).data)
    assert total < 60 * 1024
