"""Helpers of the boto3 suite: the seed guide's resources, a boto3 client for the emulator, the
inbox of messages it "sent", and Cognito errors as values.

The suite (pytest, tests-py/) is run by emulator/boto3.test.ts against a fresh emulator, with
TWIN_ENDPOINT_URL set to its URL; by hand: start one (`npm start`) and run
`TWIN_ENDPOINT_URL=http://127.0.0.1:9229 python3 -m pytest tests-py`.
"""

import json
import os
import pathlib
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config

# The pool, app client and user of the seed guide, shared with the TypeScript tests.
GUIDE = json.loads((pathlib.Path(__file__).parent.parent / "test-support" / "seed-guide.json").read_text("utf-8"))
GUIDE_POOL = GUIDE["pool"]
GUIDE_CLIENT = GUIDE["client"]
GUIDE_USER = GUIDE["user"]


def endpoint():
    url = os.environ.get("TWIN_ENDPOINT_URL")
    if not url:
        raise RuntimeError("TWIN_ENDPOINT_URL is not set: the emulator's URL, e.g. http://127.0.0.1:9229")
    return url.rstrip("/")


def cognito_client(url):
    """As the guide's CognitoClient builds it, plus the endpoint, dummy credentials and no retries."""
    return boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}),
    )


def twin_post(url, path):
    """POSTs an empty JSON object to one of the emulator's /_twin/ controls."""
    req = urllib.request.Request(f"{url}{path}", data=b"{}", method="POST", headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)


def inbox_code(url, pool_id, username, reason):
    """The newest code of `reason` (SignUp, ForgotPassword, ...) the emulator sent `username`."""
    query = urllib.parse.urlencode({"userPoolId": pool_id, "username": username})
    with urllib.request.urlopen(f"{url}/_twin/messages?{query}") as res:
        messages = json.load(res)["messages"]
    codes = [m["code"] for m in messages if m["reason"] == reason and m.get("code")]
    assert codes, f"no {reason} code in the inbox for {username}: {messages}"
    return codes[-1]


def error_of(call, **kwargs):
    """Calls and returns (code, message, HTTP status) of the ClientError it must raise."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        return err["Code"], err["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{call.__name__} succeeded; expected an error")


def create_guide_pool(client):
    """Section 2: the guide's pool and app client; returns (pool, app client) as answered."""
    pool = client.create_user_pool(**GUIDE_POOL)["UserPool"]
    app = client.create_user_pool_client(UserPoolId=pool["Id"], **GUIDE_CLIENT)["UserPoolClient"]
    return pool, app
