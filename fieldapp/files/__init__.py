"""Where photos and scans live: a local folder by default, an S3-compatible bucket for several servers."""

from fieldapp.files.stores import FileStore, LocalFolder, S3Bucket, file_store

__all__ = ["FileStore", "LocalFolder", "S3Bucket", "file_store"]
