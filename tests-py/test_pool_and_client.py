"""The seed guide's pool and app client through boto3: what CreateUserPool and
CreateUserPoolClient answer, reading, paging, updating and deleting them, and errors as botocore
parses them."""

import re

from guide import GUIDE_CLIENT, GUIDE_POOL, GUIDE_USER, error_of


def test_creates_the_guides_pool_and_client(guide_pool):
    pool, app = guide_pool
    assert re.fullmatch(r"us-east-1_[0-9A-Za-z]{9}", pool["Id"]), pool["Id"]
    assert pool["Arn"] == f"arn:aws:cognito-idp:us-east-1:000000000000:userpool/{pool['Id']}"
    # botocore turns epoch seconds into datetimes; a string would have failed to parse.
    assert pool["CreationDate"].year >= 2024, pool["CreationDate"]
    required = [a["Name"] for a in pool["SchemaAttributes"] if a["Required"]]
    assert required == ["sub", "name", "email"], required

    assert re.fullmatch(r"[a-z0-9]{26}", app["ClientId"]), app["ClientId"]
    assert "ClientSecret" not in app
    assert app["PreventUserExistenceErrors"] == "LEGACY"


def test_describes_them_as_created_with_the_user_count(cognito, guide_pool):
    pool, app = guide_pool
    # The guide's sign_up: an unsigned call that botocore sends without SigV4.
    cognito.sign_up(
        ClientId=app["ClientId"],
        Username=GUIDE_USER["email"],
        Password=GUIDE_USER["password"],
        UserAttributes=[{"Name": "email", "Value": GUIDE_USER["email"]}, {"Name": "name", "Value": GUIDE_USER["name"]}],
    )
    described = cognito.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["EstimatedNumberOfUsers"] == 1, described["EstimatedNumberOfUsers"]
    assert described["Name"] == GUIDE_POOL["PoolName"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    described_client = cognito.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=app["ClientId"])["UserPoolClient"]
    assert described_client["ExplicitAuthFlows"] == GUIDE_CLIENT["ExplicitAuthFlows"]


def test_pages_with_botocores_paginator(cognito, guide_pool):
    pool, app = guide_pool
    for i in range(4):
        cognito.create_user_pool(PoolName=f"extra-{i}")
    pages = list(cognito.get_paginator("list_user_pools").paginate(MaxResults=2))
    listed = [p["Id"] for page in pages for p in page["UserPools"]]
    assert len(pages) == 3, len(pages)
    assert len(listed) == 5 and len(set(listed)) == 5 and pool["Id"] in listed, listed
    clients = cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=10)["UserPoolClients"]
    assert [c["ClientId"] for c in clients] == [app["ClientId"]]


def test_updates_the_client_the_pool_and_its_tags(cognito, guide_pool):
    pool, app = guide_pool
    updated = cognito.update_user_pool_client(
        UserPoolId=pool["Id"],
        ClientId=app["ClientId"],
        ClientName="renamed",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    assert updated["ClientName"] == "renamed"
    assert updated["ExplicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    cognito.update_user_pool(UserPoolId=pool["Id"], AutoVerifiedAttributes=["email"], UserPoolTags={"env": "test"})
    tags = cognito.list_tags_for_resource(ResourceArn=pool["Arn"])["Tags"]
    assert tags == {"env": "test"}, tags
    assert cognito.get_user_pool_mfa_config(UserPoolId=pool["Id"])["MfaConfiguration"] == "OFF"


def test_errors_are_read_from_the_body(cognito, guide_pool):
    pool, _ = guide_pool
    # botocore reads the error code from the body's __type.
    not_found = error_of(cognito.describe_user_pool, UserPoolId="us-east-1_NoSuchPool")
    assert not_found == ("ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist.", 400), not_found
    # botocore validates lengths itself, not patterns: a bad pattern is checked by the emulator alone.
    invalid = error_of(cognito.describe_user_pool_client, UserPoolId=pool["Id"], ClientId="not valid!")
    assert invalid[0] == "InvalidParameterException", invalid
    assert invalid[1].startswith(
        "1 validation error detected: Value 'not valid!' at 'clientId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern"
    ), invalid


def test_deletes_the_client_and_the_pool(cognito, guide_pool):
    pool, app = guide_pool
    cognito.delete_user_pool_client(UserPoolId=pool["Id"], ClientId=app["ClientId"])
    gone = error_of(cognito.describe_user_pool_client, UserPoolId=pool["Id"], ClientId=app["ClientId"])
    assert gone[:2] == ("ResourceNotFoundException", f"User pool client {app['ClientId']} does not exist."), gone
    cognito.delete_user_pool(UserPoolId=pool["Id"])
    assert error_of(cognito.describe_user_pool, UserPoolId=pool["Id"])[0] == "ResourceNotFoundException"
