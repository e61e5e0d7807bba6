#!/usr/bin/env python3
"""Ferry: prepares a moto_server started with INITIAL_NO_AUTH_ACTION_COUNT=3 for the S3 suite.

The first three calls go through unauthenticated: create an IAM user, a policy
allowing s3:* and an access key. From then on moto checks every request's
SigV4 signature against that key. Creates the test bucket with the new key and
checks that a wrong secret key is rejected with 403 (proof that signatures are
verified). Prints "KEY SECRET" on success.
Usage: s3_moto_setup.py ENDPOINT BUCKET
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket = sys.argv[1], sys.argv[2]
cfg = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
boot = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap", config=cfg)
iam = boto3.client("iam", **boot)
iam.create_user(UserName="ferry")
iam.put_user_policy(UserName="ferry", PolicyName="s3-all", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="ferry")["AccessKey"]
ak, sk = key["AccessKeyId"], key["SecretAccessKey"]

s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ak,
                  aws_secret_access_key=sk, config=cfg)
s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="setup-probe", Body=b"x")

bad = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ak,
                   aws_secret_access_key=sk[:-1] + ("A" if sk[-1] != "A" else "B"), config=cfg)
try:
    bad.get_object(Bucket=bucket, Key="setup-probe")
    sys.exit("moto accepted a request signed with a wrong secret key: signatures are not checked")
except ClientError as e:
    status = e.response["ResponseMetadata"]["HTTPStatusCode"]
    if status != 403:
        sys.exit("wrong secret key: expected HTTP 403, got %s" % status)
s3.delete_object(Bucket=bucket, Key="setup-probe")
print(ak, sk)
