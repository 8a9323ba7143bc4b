"""With FILE_STORAGE on S3, a job's upload and its file live in the bucket (any app server reaches them),
nothing under the local folder, and the upload is gone once the job is done."""

import io
from pathlib import Path

import boto3
import pytest

from fieldapp.accounts.models import Role
from tests.receipts.conftest import sign_in
from tests.review.conftest import csrf_from
from tests.support.builders import MUONG_LAT, item
from tests.support.jobs import run_job


@pytest.fixture
def app_config(app_config, s3_config):
    app_config.update(s3_config)
    return app_config


def bucket_keys(config) -> list[str]:
    name, prefix = config["FILE_STORAGE"].removeprefix("s3://").split("/", 1)
    client = boto3.client("s3", endpoint_url=config["S3_ENDPOINT_URL"], region_name="us-east-1")
    listed = client.list_objects_v2(Bucket=name, Prefix=f"{prefix}/files/").get("Contents", [])
    return sorted(entry["Key"].rsplit("/", 1)[1] for entry in listed)


def test_an_export_and_an_import_keep_their_files_in_the_bucket(app, client, make):
    make.push(make.collector_token(), [item("household")])
    clerk = make.user(Role.CLERK, MUONG_LAT)
    sign_in(client, clerk)
    token = csrf_from(client.get("/review/handoff").get_data(as_text=True))
    export_page = run_job(app, client.post("/review/export.xlsx", data={"csrf_token": token, "state": "all"}))
    answers = "Mã hồ sơ,Số đăng ký,Ngày đăng ký\nkhong-co,1/2025,02/01/2025\n".encode()
    upload = {"csrf_token": token, "file": (io.BytesIO(answers), "ket-qua.csv")}
    import_page = run_job(app, client.post("/review/handoff/import", data=upload))

    export_id, import_id = export_page.rsplit("/", 1)[1], import_page.rsplit("/", 1)[1]
    assert bucket_keys(app.config) == sorted([f"{export_id}.out", f"{import_id}.out"])  # uploads dropped
    workbook = client.get(f"{export_page}/file")
    assert workbook.status_code == 200 and workbook.data.startswith(b"PK")
    refusals = client.get(f"{import_page}/file").get_data(as_text=True)
    assert "khong-co" in refusals and "không tìm thấy hồ sơ" in refusals
    assert not list(Path(app.config["UPLOAD_DIR"]).glob("files/*"))
