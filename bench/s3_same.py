#!/usr/bin/env python3
"""Ferry benchmarks: checks that the Parquet files bench/run.sh uploaded to S3 are byte for byte
the local ones (run with the python3 that has boto3, the one moto_server comes with).

  s3_same.py ENDPOINT AK SK BUCKET PREFIX DIR
      every file under DIR against s3://BUCKET/PREFIX/<path relative to DIR>: size and SHA-256
      of the object's bytes as read back; prints one ERROR line per difference and exits 1 if
      there is any, else prints how many files and bytes matched.
"""
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "suites"))
from hive_s3_moto import client  # noqa: E402  (the suites' S3 client settings, not a copy)


def sha256_of(chunks):
    h, n = hashlib.sha256(), 0
    for c in chunks:
        h.update(c)
        n += len(c)
    return h.hexdigest(), n


def main(endpoint, ak, sk, bucket, prefix, top):
    s3 = client(endpoint, ak, sk)
    bad = files = total = 0
    for root, _, names in os.walk(top):
        for name in sorted(names):
            path = os.path.join(root, name)
            key = prefix.rstrip("/") + "/" + os.path.relpath(path, top)
            with open(path, "rb") as f:
                want = sha256_of(iter(lambda: f.read(1 << 20), b""))
            try:
                body = s3.get_object(Bucket=bucket, Key=key)["Body"]
                got = sha256_of(body.iter_chunks(1 << 20))
            except Exception as e:  # a missing object is a difference like any other
                got = (f"error: {e}", -1)
            files += 1
            total += want[1]
            if got != want:
                bad += 1
                print(f"ERROR s3://{bucket}/{key}: {got[1]} bytes sha256 {got[0]}, "
                      f"local {path}: {want[1]} bytes sha256 {want[0]}")
    if bad or not files:
        sys.exit(f"s3_same.py: {bad} of {files} files differ" if files else f"s3_same.py: no file under {top}")
    print(f"{files} files, {total} bytes: S3 objects identical to the local files")


if __name__ == "__main__":
    main(*sys.argv[1:])
