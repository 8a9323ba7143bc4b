"""A real S3 API over HTTP for the object-storage tests: moto's standalone server, or TEST_S3_ENDPOINT_URL."""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

#: credentials for the test server; a real MinIO given by TEST_S3_ENDPOINT_URL takes the AWS_* variables
TEST_KEYS = {"AWS_ACCESS_KEY_ID": "fieldapp-test", "AWS_SECRET_ACCESS_KEY": "fieldapp-test-secret"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    import requests

    try:
        requests.get(url, timeout=1)
    except requests.RequestException:
        return False
    return True


@contextmanager
def s3_server() -> Iterator[str]:
    """The endpoint URL of an S3-compatible server running for this test session."""
    given = os.environ.get("TEST_S3_ENDPOINT_URL")
    if given:
        yield given
        return
    for key, value in TEST_KEYS.items():
        os.environ.setdefault(key, value)
    port = _free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as exc:
        _unavailable(f"cannot start moto's S3 server: {exc}")
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                _unavailable("moto's S3 server did not start (pip install 'moto[server]')")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the object-storage tests")
    pytest.skip(message)


def new_bucket(endpoint_url: str) -> str:
    """A fresh bucket, so tests never see each other's objects."""
    import boto3

    name = f"fieldapp-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1").create_bucket(Bucket=name)
    return name
