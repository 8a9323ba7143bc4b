"""Tools some tests need beyond Python: on a developer's machine a missing one skips its tests with the
reason; in CI (CI=true) it fails them, since a broken CI machine must not pass by running less."""

import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.chromium import CHROMIUM


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require(available: bool, what: str, hint: str = "") -> None:
    """Skip (locally) or fail (in CI) the calling test when `what` is not available."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is missing; CI must run these tests. {hint}".strip(), pytrace=False)
    pytest.skip(f"{what} is missing {hint}".strip())


def require_program(name: str, hint: str = "") -> str:
    path = shutil.which(name)
    require(path is not None, f"the program {name}", hint)
    return str(path)


def require_module(name: str, hint: str = "") -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        require(False, f"the Python module {name}", hint)
        raise


def require_chromium() -> None:
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM}", "(apt-get install chromium)")
