#!/usr/bin/env python3
"""Ferry: produces the SigV4 reference cases embedded in tests/unit/test_s3_sigv4.c.

Every value comes from botocore (the signer of the AWS CLI and boto3), with the
clock fixed at 2013-05-24T00:00:00Z, so the C signer is checked against an
implementation that AWS maintains rather than against our own reading of the spec.

  * doc_cases: the worked examples of the AWS S3 documentation ("Signature
    Calculations for the Authorization Header: Transferring Payload in a Single
    Chunk"), computed with botocore's S3SigV4Auth on exactly the headers the
    documentation shows.
  * client_cases: real boto3 S3 client calls (path-style and virtual-host
    addressing, keys and query values that need percent-encoding, multipart
    upload calls), captured at send time and never sent.

Output is C initializers; tests/suites/s3.sh re-runs this script and checks that
the block in test_s3_sigv4.c is still identical. Run: python3 s3_sigv4_reference.py
"""
import datetime
import hashlib
import sys
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

AK = "AKIAIOSFODNN7EXAMPLE"
SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TS = "20130524T000000Z"
EMPTY = hashlib.sha256(b"").hexdigest()
FIXED = datetime.datetime(2013, 5, 24, 0, 0, 0)


def c_str(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif c == "\n":
            out.append("\\n")
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


def sign_parts(auth, req):
    req.context["timestamp"] = TS
    cr = auth.canonical_request(req)
    sts = auth.string_to_sign(req, cr)
    sig = auth.signature(sts, req)
    return cr, sts, sig


def doc_cases():
    auth = botocore.auth.S3SigV4Auth(Credentials(AK, SK), "s3", "us-east-1")
    host = "https://examplebucket.s3.amazonaws.com"
    cases = []

    def add(name, method, raw_key, enc_path, query, headers, body=b""):
        h = dict(headers)
        h.setdefault("x-amz-date", TS)
        req = AWSRequest(method=method, url=host + enc_path + ("?" + query if query else ""),
                         headers=h, data=body)
        cr, sts, sig = sign_parts(auth, req)
        cases.append((name, method, raw_key, query, headers, h["x-amz-content-sha256"], cr, sts, sig))

    add("get_object_range", "GET", "test.txt", "/test.txt", "",
        [("Range", "bytes=0-9"), ("x-amz-content-sha256", EMPTY)])
    body = b"Welcome to Amazon S3."
    add("put_object", "PUT", "test$file.text", "/test%24file.text", "",
        [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
         ("x-amz-content-sha256", hashlib.sha256(body).hexdigest())], body)
    add("get_bucket_lifecycle", "GET", "", "/", "lifecycle=", [("x-amz-content-sha256", EMPTY)])
    add("list_objects", "GET", "", "/", "max-keys=2&prefix=J", [("x-amz-content-sha256", EMPTY)])
    return cases


class Captured(Exception):
    pass


def client_cases():
    cases = []
    captured = {}

    def strip_sdk_headers(request, **kw):
        # Random per call (invocation id) or retry bookkeeping: not part of what we test.
        for h in ("amz-sdk-invocation-id", "amz-sdk-request"):
            if h in request.headers:
                del request.headers[h]

    def capture(request, **kw):
        captured["req"] = request
        raise Captured()

    def run(name, endpoint, region, path_style, bucket, key, op, **args):
        # _q: the query parameters (raw, unencoded) that Ferry's signer is given for this call.
        q = args.pop("_q", [])
        cfg = Config(signature_version="s3v4", retries={"max_attempts": 1},
                     s3={"addressing_style": "path" if path_style else "virtual"},
                     request_checksum_calculation="when_required",
                     response_checksum_validation="when_required")
        cl = boto3.client("s3", endpoint_url=endpoint, region_name=region, aws_access_key_id=AK,
                          aws_secret_access_key=SK, config=cfg)
        cl.meta.events.register("before-sign.s3", strip_sdk_headers)
        cl.meta.events.register("before-send.s3", capture)
        try:
            getattr(cl, op)(**args)
        except Captured:
            pass
        req = captured.pop("req")
        auth_h = req.headers["Authorization"]
        auth_h = auth_h.decode() if isinstance(auth_h, bytes) else auth_h
        signed = auth_h.split("SignedHeaders=")[1].split(",")[0].split(";")
        hdrs = []
        for n in signed:
            if n in ("host", "x-amz-date", "x-amz-content-sha256"):
                continue
            v = req.headers[n]
            hdrs.append((n, v.decode() if isinstance(v, bytes) else v))
        ph = req.headers["X-Amz-Content-SHA256"]
        ph = ph.decode() if isinstance(ph, bytes) else ph
        from urllib.parse import urlsplit
        u = urlsplit(req.url)
        # Canonical query as botocore computes it from the URL it sends.
        fake = AWSRequest(method=req.method, url=req.url)
        cq = botocore.auth.S3SigV4Auth(Credentials(AK, SK), "s3", region).canonical_query_string(fake)
        cases.append((name, endpoint, region, path_style, bucket, key, req.method, q,
                      hdrs, ph, u.netloc, u.path, cq, auth_h))

    with mock.patch("botocore.auth.get_current_datetime", return_value=FIXED):
        ep = "http://127.0.0.1:9000"
        run("path_get_range", ep, "us-east-1", True, "bucket", "dir/a b+c=d&e~f_(1)*!'.parquet",
            "get_object", Bucket="bucket", Key="dir/a b+c=d&e~f_(1)*!'.parquet", Range="bytes=100-199")
        run("path_head_unicode", ep, "eu-west-1", True, "data", "\u00fcn\u00efcode/\u20ac %2F.txt",
            "head_object", Bucket="data", Key="\u00fcn\u00efcode/\u20ac %2F.txt")
        run("path_put", ep, "us-east-1", True, "bucket", "x/y.bin", "put_object",
            Bucket="bucket", Key="x/y.bin", Body=b"hello, world\n")
        run("path_delete", ep, "us-east-1", True, "bucket", "x/y.bin", "delete_object",
            Bucket="bucket", Key="x/y.bin")
        run("path_list", ep, "us-east-1", True, "bucket", "", "list_objects_v2",
            Bucket="bucket", Prefix="tbl/part=a b/", MaxKeys=7, ContinuationToken="1/x+y=z==",
            _q=[("list-type", "2"), ("continuation-token", "1/x+y=z=="), ("encoding-type", "url"), ("max-keys", "7"),
                ("prefix", "tbl/part=a b/")])
        run("path_mpu_create", ep, "us-east-1", True, "bucket", "big/obj", "create_multipart_upload",
            Bucket="bucket", Key="big/obj", _q=[("uploads", "")])
        run("path_mpu_part", ep, "us-east-1", True, "bucket", "big/obj", "upload_part",
            Bucket="bucket", Key="big/obj", UploadId="Up/Id+1=", PartNumber=3, Body=b"part-3",
            _q=[("partNumber", "3"), ("uploadId", "Up/Id+1=")])
        run("path_mpu_abort", ep, "us-east-1", True, "bucket", "big/obj", "abort_multipart_upload",
            Bucket="bucket", Key="big/obj", UploadId="Up/Id+1=", _q=[("uploadId", "Up/Id+1=")])
        run("vhost_get", "https://s3.eu-central-1.amazonaws.com", "eu-central-1", False, "my-bucket",
            "a/b/c.parquet", "get_object", Bucket="my-bucket", Key="a/b/c.parquet", Range="bytes=-8")
        # "bk" is too short for a DNS name: botocore (and Ferry) fall back to path style.
        run("vhost_short_bucket", "http://minio.local:9000", "us-west-2", False, "bk", "k", "get_object",
            Bucket="bk", Key="k")
        run("vhost_port_get", "http://minio.local:9000", "us-west-2", False, "bkt", "dir/k=1", "get_object",
            Bucket="bkt", Key="dir/k=1", Range="bytes=0-0")
    return cases


def main():
    out = sys.stdout
    out.write("/* BEGIN GENERATED by tests/suites/s3_sigv4_reference.py (botocore %s) */\n"
              % botocore.__version__)
    out.write("static const struct doc_case doc_cases[] = {\n")
    for (name, method, key, query, headers, ph, cr, sts, sig) in doc_cases():
        out.write("\t{%s, %s, %s, %s,\n" % (c_str(name), c_str(method), c_str(key), c_str(query)))
        out.write("\t {%s},\n" % ", ".join("{%s, %s}" % (c_str(n), c_str(v)) for n, v in headers))
        out.write("\t %d, %s,\n" % (len(headers), c_str(ph)))
        out.write("\t %s,\n" % c_str(cr))
        out.write("\t %s,\n" % c_str(sts))
        out.write("\t %s},\n" % c_str(sig))
    out.write("};\n\n")
    out.write("static const struct client_case client_cases[] = {\n")
    for (name, ep, region, ps, bucket, key, method, q, hdrs, ph, netloc, path, cq, auth) in client_cases():
        out.write("\t{%s, %s, %s, %s, %s, %s, %s,\n" % (c_str(name), c_str(ep), c_str(region),
                  "true" if ps else "false", c_str(bucket), c_str(key), c_str(method)))
        out.write("\t {%s}, %d,\n" % (", ".join("{%s, %s}" % (c_str(n), c_str(v)) for n, v in q) or "{NULL, NULL}", len(q)))
        out.write("\t {%s}, %d,\n" % (", ".join("{%s, %s}" % (c_str(n), c_str(v)) for n, v in hdrs) or "{NULL, NULL}", len(hdrs)))
        out.write("\t %s,\n" % c_str(ph))
        out.write("\t %s, %s, %s,\n" % (c_str(netloc), c_str(path), c_str(cq)))
        out.write("\t %s},\n" % c_str(auth))
    out.write("};\n")
    out.write("/* END GENERATED */\n")


if __name__ == "__main__":
    main()
