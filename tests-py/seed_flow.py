"""The seed guide's user journey through boto3 against a running cognito-twin.

Usage: python3 tests-py/seed_flow.py ENDPOINT_URL [--forgot-password]

Prints one JSON object {"steps": [...]} listing the steps that passed; exits 1 with the failed
step's name on stderr when one does not behave like Cognito. Credentials and region come from the
environment (any values: the emulator accepts every well-formed signature).
"""
import base64
import json
import sys
import urllib.parse
import urllib.request

import boto3
from botocore.exceptions import ClientError

EMAIL = "test@example.com"
PASSWORD = "Test123!"
NEW_PASSWORD = "Changed456!"

steps = []


def step(name):
    steps.append(name)


def expect_error(name, fn, code, message=None):
    """Runs fn, which must fail with Cognito error `code` (and `message` when given)."""
    try:
        fn()
    except ClientError as e:
        err = e.response["Error"]
        if err["Code"] != code or (message is not None and err["Message"] != message):
            raise AssertionError(f"{name}: expected {code} {message!r}, got {err['Code']} {err['Message']!r}")
        step(name)
        return
    raise AssertionError(f"{name}: expected {code}, but the call succeeded")


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError(f"{name}: {detail}")
    step(name)


def inbox(endpoint, pool_id, username, reason):
    query = urllib.parse.urlencode({"userPoolId": pool_id, "username": username})
    with urllib.request.urlopen(f"{endpoint}/_twin/messages?{query}") as res:
        messages = json.load(res)["messages"]
    codes = [m["code"] for m in messages if m["reason"] == reason and m.get("code")]
    if not codes:
        raise AssertionError(f"no {reason} code in the inbox for {username}: {messages}")
    return codes[-1]


def main():
    endpoint = sys.argv[1]
    with_forgot = "--forgot-password" in sys.argv[2:]
    client = boto3.client("cognito-idp", endpoint_url=endpoint)

    pool = client.create_user_pool(
        PoolName="Legatera-UserPool",
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True, "RequireSymbols": True}},
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "email", "Required": True, "Mutable": True}, {"Name": "name", "Required": True, "Mutable": True}],
        MfaConfiguration="OFF",
    )
    pool_id = pool["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="legatera-app-client",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        SupportedIdentityProviders=["COGNITO"],
    )
    client_id = app["UserPoolClient"]["ClientId"]
    step("create pool and client")

    signed = client.sign_up(ClientId=client_id, Username=EMAIL, Password=PASSWORD, UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "name", "Value": "Test User"}])
    sub = signed["UserSub"]
    check("sign up", signed["UserConfirmed"] is False and signed["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL", str(signed))

    def login(password=PASSWORD):
        return client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": EMAIL, "PASSWORD": password})

    expect_error("unconfirmed login refused", login, "UserNotConfirmedException", "User is not confirmed.")

    client.confirm_sign_up(ClientId=client_id, Username=EMAIL, ConfirmationCode=inbox(endpoint, pool_id, sub, "SignUp"))
    step("confirm with the inbox code")

    expect_error("wrong password refused", lambda: login("Wrong123!"), "NotAuthorizedException", "Incorrect username or password.")

    tokens = login()["AuthenticationResult"]
    check("login", tokens["TokenType"] == "Bearer" and tokens["ExpiresIn"] == 3600, str(tokens.keys()))
    access = tokens["AccessToken"]

    me = client.get_user(AccessToken=access)
    attributes = {a["Name"]: a["Value"] for a in me["UserAttributes"]}
    check("get user", me["Username"] == sub and attributes.get("email") == EMAIL and attributes.get("email_verified") == "true" and attributes.get("name") == "Test User", str(me))

    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["username"] = "admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    tampered = f"{header}.{forged_payload}.{signature}"
    expect_error("tampered token refused", lambda: client.get_user(AccessToken=tampered), "NotAuthorizedException", "Invalid Access Token")

    refreshed = client.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})["AuthenticationResult"]
    check("refresh", "RefreshToken" not in refreshed and refreshed["AccessToken"] != access, str(refreshed.keys()))
    check("get user with the refreshed token", client.get_user(AccessToken=refreshed["AccessToken"])["Username"] == sub)

    if with_forgot:
        client.forgot_password(ClientId=client_id, Username=EMAIL)
        code = inbox(endpoint, pool_id, sub, "ForgotPassword")
        client.confirm_forgot_password(ClientId=client_id, Username=EMAIL, ConfirmationCode=code, Password=NEW_PASSWORD)
        step("forgot and confirm password")
        expect_error("old password refused", login, "NotAuthorizedException", "Incorrect username or password.")
        tokens = login(NEW_PASSWORD)["AuthenticationResult"]
        access = tokens["AccessToken"]
        step("login with the new password")

    client.global_sign_out(AccessToken=access)
    step("global sign-out")
    expect_error("get user refused after sign-out", lambda: client.get_user(AccessToken=access), "NotAuthorizedException", "Access Token has been revoked")
    expect_error(
        "refresh refused after sign-out",
        lambda: client.initiate_auth(ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}),
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )
    print(json.dumps({"steps": steps}))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(json.dumps({"steps": steps, "failed": str(e)}))
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
