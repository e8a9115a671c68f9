"""Identity pools through boto3's cognito-identity client, on the same port as cognito-idp
(docs/identity-pools.md): a pool on the guide's user pool, guest and signed-in identities, their
credentials and whose they are, the classic flow's OpenID token, and Cognito Identity's errors."""

import base64
import json
import re
import urllib.request

import boto3
from botocore.config import Config

from guide import GUIDE_USER, error_of

ROLE_AUTH = "arn:aws:iam::123456789012:role/boto3-authenticated"
ROLE_GUEST = "arn:aws:iam::123456789012:role/boto3-guest"


def identity_client(url):
    return boto3.client(
        "cognito-identity",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}),
    )


def whose(url, access_key_id):
    with urllib.request.urlopen(f"{url}/_twin/identity-credentials?accessKeyId={access_key_id}") as res:
        return json.load(res)


def signed_in_id_token(cognito, pool, app):
    cognito.admin_create_user(
        UserPoolId=pool["Id"],
        Username=GUIDE_USER["email"],
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": GUIDE_USER["email"]},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "name", "Value": GUIDE_USER["name"]},
        ],
    )
    cognito.admin_set_user_password(
        UserPoolId=pool["Id"], Username=GUIDE_USER["email"], Password=GUIDE_USER["password"], Permanent=True
    )
    out = cognito.initiate_auth(
        ClientId=app["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": GUIDE_USER["email"], "PASSWORD": GUIDE_USER["password"]},
    )
    return out["AuthenticationResult"]["IdToken"]


def test_guest_and_signed_in_credentials(url, cognito, guide_pool):
    pool, app = guide_pool
    identity = identity_client(url)
    provider = f"cognito-idp.us-east-1.amazonaws.com/{pool['Id']}"
    created = identity.create_identity_pool(
        IdentityPoolName="boto3_identities",
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": app["ClientId"]}],
    )
    pool_id = created["IdentityPoolId"]
    assert re.fullmatch(r"us-east-1:[0-9a-f-]{36}", pool_id), pool_id
    identity.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": ROLE_AUTH, "unauthenticated": ROLE_GUEST})

    guest = identity.get_id(IdentityPoolId=pool_id)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=guest)["Credentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["AccessKeyId"]), creds["AccessKeyId"]
    assert len(creds["SecretKey"]) == 40
    # botocore parses Expiration (epoch seconds) into a datetime.
    assert creds["Expiration"].year >= 2024
    assert whose(url, creds["AccessKeyId"])["roleArn"] == ROLE_GUEST

    logins = {provider: signed_in_id_token(cognito, pool, app)}
    user = identity.get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
    creds = identity.get_credentials_for_identity(IdentityId=user, Logins=logins)["Credentials"]
    facts = whose(url, creds["AccessKeyId"])
    assert (facts["identityId"], facts["roleArn"], facts["authenticated"]) == (user, ROLE_AUTH, True)
    assert identity.describe_identity(IdentityId=user)["Logins"] == [provider]

    token = identity.get_open_id_token(IdentityId=user, Logins=logins)["Token"]
    header = json.loads(_b64(token.split(".")[0]))
    assert header["alg"] == "RS512"
    claims = json.loads(_b64(token.split(".")[1]))
    assert (claims["sub"], claims["aud"], claims["amr"][0]) == (user, pool_id, "authenticated")

    # The classic flow's last step: STS on the same port takes the token for the pool's role.
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1}),
    )
    assumed = sts.assume_role_with_web_identity(RoleArn=ROLE_AUTH, RoleSessionName="boto3", WebIdentityToken=token)
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", assumed["Credentials"]["AccessKeyId"])
    assert (assumed["SubjectFromWebIdentityToken"], assumed["Audience"]) == (user, pool_id)
    assert assumed["AssumedRoleUser"]["Arn"] == "arn:aws:sts::123456789012:assumed-role/boto3-authenticated/boto3"
    assert whose(url, assumed["Credentials"]["AccessKeyId"])["roleArn"] == ROLE_AUTH
    assert error_of(
        sts.assume_role_with_web_identity, RoleArn=ROLE_GUEST, RoleSessionName="boto3", WebIdentityToken=token
    ) == (
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        403,
    )


def test_cognito_identity_errors(url, cognito, guide_pool):
    pool, app = guide_pool
    identity = identity_client(url)
    missing = "us-east-1:00000000-0000-0000-0000-000000000000"
    assert error_of(identity.describe_identity_pool, IdentityPoolId=missing) == (
        "ResourceNotFoundException",
        f"IdentityPool '{missing}' not found.",
        400,
    )
    pool_id = identity.create_identity_pool(IdentityPoolName="closed", AllowUnauthenticatedIdentities=False)[
        "IdentityPoolId"
    ]
    assert error_of(identity.get_id, IdentityPoolId=pool_id) == (
        "NotAuthorizedException",
        "Unauthenticated access is not supported for this identity pool.",
        400,
    )
    assert error_of(identity.get_id, IdentityPoolId=pool_id, Logins={"accounts.google.com": "x.y.z"})[0] == (
        "NotAuthorizedException"
    )
    assert error_of(identity.get_credentials_for_identity, IdentityId=missing)[0] == "ResourceNotFoundException"


def _b64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
