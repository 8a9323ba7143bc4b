"""Fault harness: real gunicorn servers, a proxy that cuts connections, and a device that retries.

Loopback only, every loop bounded. The servers run the checkout under test (project_root()) with the
environment a deployment would set: SECRET_KEY, DATABASE_URL, UPLOAD_DIR, REDIS_URL, FIELDAPP_PUBLIC_BASE_URL.
"""

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from fieldapp.config import project_root
from fieldapp.demo import COMMUNES, DemoFactory
from tests.support.builders import item

RETRYABLE_STATUSES = {429, 502, 503, 504}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn master with its workers, started and stopped (or killed) by the test."""

    def __init__(self, database_url: str, upload_dir: Path, *, workers: int = 2, **env: str) -> None:
        self.port = free_port()
        self.database_url = database_url
        self.upload_dir = upload_dir
        self.workers = workers
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = upload_dir.parent / f"gunicorn-{self.port}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Server":
        env = {
            **os.environ,
            "SECRET_KEY": "fault-harness-secret-long-enough-for-production",
            "FIELDAPP_PUBLIC_BASE_URL": "https://fieldapp.test",
            # production under gunicorn needs shared rate-limit storage; a prefix per server keeps tests apart
            "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/8"),
            "FIELDAPP_RATELIMIT_KEY_PREFIX": f"faults-{uuid.uuid4().hex[:8]}",
            # jobs go to Redis only when a test asks for Redis itself, as before rate limits needed it
            **({} if "REDIS_URL" in self.env else {"FIELDAPP_JOBS_QUEUE": "sqlite"}),
            "DATABASE_URL": self.database_url,
            "UPLOAD_DIR": str(self.upload_dir),
            "FIELDAPP_ALLOW_INSECURE_COOKIES": "1",
            **self.env,
        }
        command = [
            sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--timeout", "30", "--graceful-timeout", "2", "wsgi:app",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=project_root(), env=env, stdout=log, stderr=log)
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                # the whole log: every failing worker adds a trace after the reason
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer in {timeout}s: {self.log.read_text()[-2000:]}")

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def kill_worker(self) -> int:
        pid = random.choice(self.worker_pids())
        os.kill(pid, signal.SIGKILL)
        return pid

    def kill_all(self) -> None:
        """kill -9 of the master and every worker: what a power cut or the OOM killer does."""
        assert self.process is not None
        for pid in [*self.worker_pids(), self.process.pid]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill_all()


@contextmanager
def running(server: Server) -> Iterator[Server]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class CutStats:
    passed: int = 0
    cut_before: int = 0
    cut_midway: int = 0
    cut_after: int = 0


class CuttingProxy:
    """A TCP proxy, one request per connection, that cuts some connections at a chosen point.

    - cut_before: the request is read and dropped; the server never sees it;
    - cut_midway: half of the request reaches the server, then both sides are closed;
    - cut_after: the server answers (it has committed) but the answer never reaches the client.
    """

    def __init__(self, target_port: int, *, cut_rate: float = 0.3, seed: int = 8) -> None:
        self.target_port = target_port
        self.cut_rate = cut_rate
        self.random = random.Random(seed)
        self.stats = CutStats()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "CuttingProxy":
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._stopped.set()
        self.listener.close()
        self._thread.join(timeout=5)

    def _choose(self) -> str:
        with self._lock:
            if self.random.random() >= self.cut_rate:
                mode = "passed"
            else:
                mode = self.random.choice(("cut_before", "cut_midway", "cut_after"))
            setattr(self.stats, mode, getattr(self.stats, mode) + 1)
            return mode

    def _accept_loop(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stopped.is_set():
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        mode = self._choose()
        with client:
            client.settimeout(30)
            request = _read_request(client)
            if mode == "cut_before" or request is None:
                return
            with socket.create_connection(("127.0.0.1", self.target_port), timeout=30) as upstream:
                if mode == "cut_midway":
                    upstream.sendall(request[: len(request) // 2])
                    return
                upstream.sendall(request)
                response = _read_until_closed(upstream)
            if mode == "passed":
                client.sendall(response)


def _read_request(sock: socket.socket) -> bytes | None:
    """One HTTP request with a Content-Length body (all our client sends)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    return head + b"\r\n\r\n" + body


def _read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class Device:
    """A phone's outbox: records keep their UUID across retries; the answers it finally got."""

    base_url: str
    token: str
    max_attempts: int = 40
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: every answer to every record, in order (a record answered twice appears twice)
    history: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 0
    failures: Counter[str] = field(default_factory=Counter)

    def push(self, batch: list[dict[str, Any]], base_url: str | None = None) -> list[dict[str, Any]]:
        """Send one batch until an answer comes back; the same bytes every time, like a real outbox."""
        url = f"{base_url or self.base_url}/api/v1/sync/push"
        headers = {"Authorization": f"Bearer {self.token}", "Connection": "close"}
        for attempt in range(self.max_attempts):
            self.attempts += 1
            try:
                response = requests.post(url, json={"records": batch}, headers=headers, timeout=30)
            except requests.RequestException as exc:
                self.failures[type(exc).__name__] += 1
                time.sleep(min(0.02 * 2**attempt, 0.5))
                continue
            if response.status_code in RETRYABLE_STATUSES:
                self.failures[str(response.status_code)] += 1
                time.sleep(min(0.05 * 2**attempt, 1.0))
                continue
            assert response.status_code == 200, (response.status_code, response.text[:500])
            results = response.json()["results"]
            for result in results:
                self.answers[result["id"]] = result
            self.history += results
            return results
        raise AssertionError(f"batch not accepted after {self.max_attempts} attempts: {self.failures}")


def household_batch(count: int, commune: str, label: str) -> list[dict[str, Any]]:
    """`count` distinct households with the demo's varied names and ID numbers.

    (Identical people in every record would make each one a duplicate candidate of all the others: a
    test of the duplicate finder, not of the sync path.)"""
    factory = DemoFactory(zlib.crc32(label.encode()))
    batch = []
    for _ in range(count):
        record = item("household", id=str(uuid.uuid4()))
        ethnicities = COMMUNES[commune][1] if commune in COMMUNES else ("01",)
        record["data"] = factory.household(commune, factory.pick(ethnicities))
        batch.append(record)
    return batch


def chunks(records: list[Any], size: int) -> list[list[Any]]:
    return [records[i : i + size] for i in range(0, len(records), size)]
