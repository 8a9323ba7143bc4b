"""The field app's static files: content-hashed names, pre-compressed brotli and gzip copies.

At app start the sources under static/field/ are copied into a build directory as
``<name>.<hash>.<ext>`` with ``.br`` and ``.gz`` beside them. A JavaScript module's imports
(``from "./x.js"``) are rewritten to the hashed names of their targets, so a module's hash changes
when anything it imports changes and every file can be cached forever. No node, no bundler.
"""

import gzip
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import brotli

#: files served from static/field/, by extension
KINDS = (".js", ".css", ".svg", ".png", ".webmanifest")
#: served under their own fixed URL, not hashed (the service worker must keep its address)
UNHASHED = ("sw.js",)
COMPRESSIBLE = (".js", ".css", ".svg", ".webmanifest", ".json")
_IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])\./([\w.-]+\.js)\2""")


@dataclass
class AssetManifest:
    """What was built: logical name -> hashed name, and the version of the whole set."""

    build_dir: Path
    names: dict[str, str] = field(default_factory=dict)
    version: str = ""
    #: logical name -> the modules it imports statically (not ``import("./x.js")``, loaded when needed)
    imports: dict[str, list[str]] = field(default_factory=dict)

    def url_name(self, logical: str) -> str:
        return self.names[logical]

    def static_closure(self, entry: str) -> list[str]:
        """`entry` and every module it loads before it runs: what the shell preloads."""
        seen, todo = [], [entry]
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.append(name)
                todo.extend(self.imports.get(name, []))
        return sorted(seen)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def hashed_name(logical: str, data: bytes) -> str:
    stem, dot, ext = logical.rpartition(".")
    return f"{stem}.{content_hash(data)}{dot}{ext}"


def build_assets(source: Path, build_dir: Path) -> AssetManifest:
    """Hash, rewrite and pre-compress every asset of `source` into `build_dir` (idempotent)."""
    build_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(
        p for p in source.rglob("*") if p.is_file() and p.suffix in KINDS and p.name not in UNHASHED
    )
    sources = {p.relative_to(source).as_posix(): p.read_bytes() for p in files}
    manifest = AssetManifest(build_dir)
    for logical in sources:
        _build_one(logical, sources, manifest, stack=())
    manifest.version = content_hash(json.dumps(manifest.names, sort_keys=True).encode())
    return manifest


def _build_one(logical: str, sources: dict[str, bytes], manifest: AssetManifest, stack: tuple) -> str:
    if logical in manifest.names:
        return manifest.names[logical]
    if logical in stack:
        raise ValueError(f"import cycle through {logical}")
    data = sources[logical]
    if logical.endswith(".js"):
        data = _rewrite_imports(logical, data, sources, manifest, (*stack, logical))
    name = hashed_name(logical, data)
    _write(manifest.build_dir / name, data)
    manifest.names[logical] = name
    return name


def _rewrite_imports(
    logical: str, data: bytes, sources: dict[str, bytes], manifest: AssetManifest, stack: tuple
) -> bytes:
    folder = logical.rpartition("/")[0]
    manifest.imports[logical] = []

    def replace(match: re.Match[str]) -> str:
        target = f"{folder}/{match.group(3)}" if folder else match.group(3)
        if "(" not in match.group(1):
            manifest.imports[logical].append(target)
        built = _build_one(target, sources, manifest, stack)
        return f"{match.group(1)}{match.group(2)}./{built.rpartition('/')[2]}{match.group(2)}"

    return _IMPORT.sub(replace, data.decode()).encode()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    compress = path.suffix in COMPRESSIBLE
    if path.exists() and (not compress or Path(f"{path}.gz").exists()):
        return  # same hash, same content: already built
    if compress:
        compressed_copies(path, data)
    _atomic_write(path, data)  # last: its presence says the copies are there


def compressed_copies(path: Path, data: bytes) -> None:
    _atomic_write(Path(f"{path}.br"), brotli.compress(data, quality=11))
    _atomic_write(Path(f"{path}.gz"), gzip.compress(data, compresslevel=9, mtime=0))


def _atomic_write(path: Path, data: bytes) -> None:
    """Several app processes may build at the same start: each writes its own file, then renames."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def negotiate(accept_encoding: str, path: Path) -> tuple[Path, str | None]:
    """The file to send for this Accept-Encoding: brotli, then gzip, then the plain file."""
    offered = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    for encoding, suffix in (("br", ".br"), ("gzip", ".gz")):
        candidate = Path(f"{path}{suffix}")
        if encoding in offered and candidate.exists():
            return candidate, encoding
    return path, None


def clear_build(build_dir: Path) -> None:
    shutil.rmtree(build_dir, ignore_errors=True)
