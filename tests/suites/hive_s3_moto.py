#!/usr/bin/env python3
"""Ferry: moto_server for tests/suites/hive_s3.sh, plus the S3 chores of that suite.

  hive_s3_moto.py serve PORT AK SK
      moto_server on 127.0.0.1:PORT in authenticated mode (INITIAL_NO_AUTH_ACTION_COUNT=3 must
      be set) whose IAM access key gets the fixed id AK and secret SK. moto keeps its state in
      memory and draws keys at random, so without this a restarted server would reject the
      key Ferry's catalog was started with; with it, a restart plus a new setup gives the same
      credentials. moto 5.2 also checks signatures against the URL as werkzeug re-encodes it,
      so any key needing percent-encoding (Hive's year=2025 folders, list prefixes with %2F)
      fails verification even from boto3; S3 (and botocore's S3 signer) sign the URI as sent,
      so this server verifies against the raw request URI instead. Signatures are still
      checked: a wrong secret key still gets 403.
  hive_s3_moto.py upload ENDPOINT AK SK BUCKET DIR PREFIX
      uploads every file under DIR to s3://BUCKET/PREFIX/<path relative to DIR> (key=value
      folders kept).
  hive_s3_moto.py list ENDPOINT AK SK BUCKET PREFIX
      prints the keys under PREFIX, one a line.
  hive_s3_moto.py download ENDPOINT AK SK BUCKET DIR
      copies every object of BUCKET to DIR/<key> (a snapshot to upload again after a restart).
"""
import os
import sys


def serve(port, ak, sk):
    from moto.core import authorization
    from moto.iam import models
    from moto.server import main

    mixin = authorization.ActionAuthenticatorMixin
    plain_check = mixin._authenticate_and_authorize_action

    def check_wire_uri(self, iam_request_cls, resource="*"):
        environ = getattr(getattr(self, "request", None), "environ", None) or {}
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        if not raw:
            return plain_check(self, iam_request_cls, resource)
        saved, self.uri = self.uri, raw
        try:
            return plain_check(self, iam_request_cls, resource)
        finally:
            self.uri = saved

    mixin._authenticate_and_authorize_action = check_wire_uri

    plain_init = models.AccessKey.__init__

    def fixed_init(self, *args, **kwargs):
        plain_init(self, *args, **kwargs)
        self.access_key_id, self.secret_access_key = ak, sk

    models.AccessKey.__init__ = fixed_init
    main(["-H", "127.0.0.1", "-p", port])


def client(endpoint, ak, sk):
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=ak, aws_secret_access_key=sk,
                        config=Config(retries={"max_attempts": 1},
                                      s3={"addressing_style": "path"}))


def upload(endpoint, ak, sk, bucket, top, prefix):
    s3 = client(endpoint, ak, sk)
    n = 0
    for root, _, files in os.walk(top):
        for f in sorted(files):
            path = os.path.join(root, f)
            key = os.path.relpath(path, top)
            if prefix:
                key = prefix.rstrip("/") + "/" + key
            s3.upload_file(path, bucket, key)
            n += 1
    print(n)


def list_keys(endpoint, ak, sk, bucket, prefix):
    s3 = client(endpoint, ak, sk)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            print(o["Key"])


def uploads(endpoint, ak, sk, bucket):
    s3 = client(endpoint, ak, sk)
    for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        print(u["Key"], u["UploadId"])


def download(endpoint, ak, sk, bucket, top):
    s3 = client(endpoint, ak, sk)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            path = os.path.join(top, o["Key"])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            s3.download_file(bucket, o["Key"], path)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"serve": serve, "upload": upload, "list": list_keys, "uploads": uploads, "download": download}[cmd](*args)
