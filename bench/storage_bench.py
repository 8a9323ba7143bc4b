"""Photos through the app: upload and download rates with the local folder and with an S3 bucket, same run.

    python bench/storage_bench.py [--photos 120] [--size-kb 80] [--clients 4] [--backend sqlite|postgresql]

One gunicorn with 2 workers per store. Phones upload shrunk photos (PUT /api/v1/attachments/<sha>, 4 client
threads), a record names them, and a clerk's browser fetches each through /review/attachments/<sha> (the
app checks the area, then streams the bytes from the folder or the bucket). The bucket is moto's S3 server
over HTTP on this machine: it measures the app's side of the S3 path (client, requests, joining parts), not
a production object store's disk or network.
"""

import argparse
import hashlib
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import fresh_database, gunicorn, temp_workdir
from bench.ingest_bench import households
from bench.jobs_bench import clerk_session, make_users, phone_token

#: photos one record may name (fieldapp/sync/schemas.py)
PER_RECORD = 30


def photos(count: int, size: int) -> list[bytes]:
    chance = random.Random(5)
    return [b"\xff\xd8\xff\xe0" + chance.randbytes(size - 4) for _ in range(count)]


def timed(function, items, clients: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(function, items))
    return time.perf_counter() - start


def run_store(backend: str, store_env: dict[str, str], images: list[bytes], clients: int) -> dict[str, float]:
    workdir = temp_workdir()
    with fresh_database(backend, workdir) as url:
        make_users(url, workdir)
        os.environ.update(store_env)
        try:
            with gunicorn(url, workdir, workers=2) as base:
                return measure(base, images, clients)
        finally:
            for key in store_env:
                os.environ.pop(key, None)


def measure(base: str, images: list[bytes], clients: int) -> dict[str, float]:
    token = phone_token(base)
    auth = {"Authorization": f"Bearer {token}"}
    hashes = [hashlib.sha256(image).hexdigest() for image in images]

    def upload(pair: tuple[str, bytes]) -> None:
        sha, body = pair
        answer = requests.put(
            f"{base}/api/v1/attachments/{sha}", data=body, headers={**auth, "Content-Type": "image/jpeg"}
        )
        assert answer.status_code == 201, answer.text

    up = timed(upload, list(zip(hashes, images, strict=True)), clients)
    # a record names at most PER_RECORD photos (the push schema's limit): spread them over households
    groups = [hashes[start : start + PER_RECORD] for start in range(0, len(hashes), PER_RECORD)]
    stock = households(len(groups), seed=3)
    records = [record | {"attachments": group} for record, group in zip(stock, groups, strict=True)]
    answer = requests.post(f"{base}/api/v1/sync/push", json={"records": records}, headers=auth, timeout=120)
    statuses = [result["status"] for result in answer.json()["results"]]
    assert statuses == ["created"] * len(records), answer.text
    clerk = clerk_session(base, "clerk1")

    def download(sha: str) -> None:
        answer = clerk.get(f"{base}/review/attachments/{sha}")
        assert answer.status_code == 200 and hashlib.sha256(answer.content).hexdigest() == sha

    down = timed(download, hashes, clients)
    megabytes = sum(len(image) for image in images) / 1e6
    return {"up_mb_s": megabytes / up, "down_mb_s": megabytes / down, "up_ms": up * 1000 / len(images)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=120)
    parser.add_argument("--size-kb", type=int, default=80, help="a phone-shrunk document photo")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from tests.support.s3 import new_bucket, s3_server

    images = photos(args.photos, args.size_kb * 1024)
    os.environ["FIELDAPP_ALLOW_INSECURE_COOKIES"] = "1"
    with s3_server() as endpoint:
        s3 = {
            "FIELDAPP_FILE_STORAGE": f"s3://{new_bucket(endpoint)}/bench",
            "FIELDAPP_S3_ENDPOINT_URL": endpoint,
        }
        results = {"local folder": run_store(args.backend, {}, images, args.clients)}
        results["S3 bucket"] = run_store(args.backend, s3, images, args.clients)
    print(f"{args.backend}: {args.photos} photos of {args.size_kb} KB, {args.clients} clients, 2 web workers")
    base = results["local folder"]
    for name, found in results.items():
        print(
            f"  {name:<13} upload {found['up_mb_s']:5.1f} MB/s ({found['up_ms']:.0f} ms a photo)"
            f"  download {found['down_mb_s']:5.1f} MB/s"
            f"  vs folder: {found['up_mb_s'] / base['up_mb_s']:.2f}"
            f" / {found['down_mb_s'] / base['down_mb_s']:.2f}"
        )


if __name__ == "__main__":
    main()
