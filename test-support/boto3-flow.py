"""The seed guide's pool and client through boto3, against a running cognito-twin.

Run by emulator/aws-cli.e2e.test.ts as `python3 test-support/boto3-flow.py ENDPOINT_URL`, with
dummy credentials and no AWS config file in the environment. Every check is an assert; the
script prints one JSON summary line on success and exits non-zero (with the traceback) on the
first failed check.
"""

import json
import re
import sys
import urllib.request

import boto3
import botocore.exceptions
from botocore.config import Config


def error_of(call, **kwargs):
    """Calls and returns (code, message, HTTP status) of the ClientError it must raise."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as e:
        err = e.response["Error"]
        return err["Code"], err["Message"], e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{call.__name__} succeeded; expected an error")


def main(endpoint):
    # As the guide's CognitoClient builds it, plus the endpoint and no retries.
    client = boto3.client(
        "cognito-idp",
        region_name="us-east-1",
        endpoint_url=endpoint,
        config=Config(retries={"max_attempts": 1}),
    )

    pool = client.create_user_pool(
        PoolName="Legatera-UserPool",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True}},
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "Mutable": True}, {"Name": "name", "Required": True, "Mutable": True}],
        MfaConfiguration="OFF",
    )["UserPool"]
    pool_id = pool["Id"]
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool_id), pool_id
    assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool_id}"
    # botocore turns epoch seconds into datetimes; a string would have failed to parse.
    assert pool["CreationDate"].year >= 2024, pool["CreationDate"]
    required = [a["Name"] for a in pool["SchemaAttributes"] if a["Required"]]
    assert required == ["sub", "name", "email"], required

    client_info = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="legatera-app-client",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]
    client_id = client_info["ClientId"]
    assert re.fullmatch(r"[a-z0-9]{26}", client_id), client_id
    assert "ClientSecret" not in client_info
    assert client_info["PreventUserExistenceErrors"] == "LEGACY"

    # The guide's CognitoClient methods: unsigned calls that botocore sends without SigV4.
    email = "test@example.com"
    signed_up = client.sign_up(ClientId=client_id, Username=email, Password="Test123!", UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "Test User"}])
    assert signed_up["UserConfirmed"] is False, signed_up
    with urllib.request.urlopen(f"{endpoint}/_twin/messages?userPoolId={pool_id}") as res:
        code = json.load(res)["messages"][-1]["code"]
    client.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=code)
    auth = client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": "Test123!"})
    access_token = auth["AuthenticationResult"]["AccessToken"]
    user = client.get_user(AccessToken=access_token)
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == email, user
    wrong = error_of(client.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": email, "PASSWORD": "Wrong123!"})
    assert wrong[:2] == ("NotAuthorizedException", "Incorrect username or password."), wrong

    described = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["EstimatedNumberOfUsers"] == 1, described["EstimatedNumberOfUsers"]
    assert described["Name"] == "Legatera-UserPool"
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    described_client = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described_client["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]

    # Pagination through botocore's own paginator (NextToken round trips).
    for i in range(4):
        client.create_user_pool(PoolName=f"extra-{i}")
    pages = list(client.get_paginator("list_user_pools").paginate(MaxResults=2))
    listed = [p["Id"] for page in pages for p in page["UserPools"]]
    assert len(pages) == 3, len(pages)
    assert len(listed) == 5 and len(set(listed)) == 5 and pool_id in listed, listed
    clients = client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=10)["UserPoolClients"]
    assert [c["ClientId"] for c in clients] == [client_id]

    updated = client.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName="renamed", ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    assert updated["ClientName"] == "renamed"
    assert updated["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    client.update_user_pool(UserPoolId=pool_id, AutoVerifiedAttributes=["email"], UserPoolTags={"env": "test"})
    tags = client.list_tags_for_resource(ResourceArn=pool["Arn"])["Tags"]
    assert tags == {"env": "test"}, tags
    assert client.get_user_pool_mfa_config(UserPoolId=pool_id)["MfaConfiguration"] == "OFF"

    # botocore reads the error code from the body's __type.
    not_found = error_of(client.describe_user_pool, UserPoolId="us-east-1_NoSuchPool")
    assert not_found == ("ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist.", 400), not_found
    # botocore validates client-side too, so the empty name goes through a raw call's shape only
    # where botocore allows it: a bad pattern is checked by the emulator alone.
    invalid = error_of(client.describe_user_pool_client, UserPoolId=pool_id, ClientId="not valid!")
    assert invalid[0] == "InvalidParameterException", invalid
    assert invalid[1].startswith("1 validation error detected: Value 'not valid!' at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern"), invalid

    client.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    gone = error_of(client.describe_user_pool_client, UserPoolId=pool_id, ClientId=client_id)
    assert gone[:2] == ("ResourceNotFoundException", f"User pool client {client_id} does not exist."), gone
    client.delete_user_pool(UserPoolId=pool_id)
    assert error_of(client.describe_user_pool, UserPoolId=pool_id)[0] == "ResourceNotFoundException"

    print(json.dumps({"ok": True, "poolId": pool_id, "clientId": client_id, "pages": len(pages)}))


if __name__ == "__main__":
    main(sys.argv[1])
