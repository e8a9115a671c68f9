"""The seed guide's user journey through boto3, as its Flask app drives it: register, confirm
with the emailed code, log in, read the user, refresh, reset the password, sign out; and the
refusals on the way, with the codes and messages Cognito answers."""

import base64
import json

from guide import GUIDE_USER, error_of, inbox_code

EMAIL = GUIDE_USER["email"]
PASSWORD = GUIDE_USER["password"]
NEW_PASSWORD = "Changed456!"


def test_register_confirm_login_refresh_reset_and_sign_out(cognito, url, guide_pool):
    pool, app = guide_pool
    pool_id, client_id = pool["Id"], app["ClientId"]

    def login(password=PASSWORD):
        return cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": EMAIL, "PASSWORD": password}
        )

    def refused(call, **kwargs):
        return error_of(call, **kwargs)[:2]

    signed = cognito.sign_up(
        ClientId=client_id,
        Username=EMAIL,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": EMAIL}, {"Name": "name", "Value": GUIDE_USER["name"]}],
    )
    sub = signed["UserSub"]
    assert signed["UserConfirmed"] is False, signed
    assert signed["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL", signed

    assert refused(login) == ("UserNotConfirmedException", "User is not confirmed."), "unconfirmed login"
    cognito.confirm_sign_up(ClientId=client_id, Username=EMAIL, ConfirmationCode=inbox_code(url, pool_id, sub, "SignUp"))
    assert refused(login, password="Wrong123!") == ("NotAuthorizedException", "Incorrect username or password.")

    tokens = login()["AuthenticationResult"]
    assert tokens["TokenType"] == "Bearer" and tokens["ExpiresIn"] == 3600, tokens.keys()
    access = tokens["AccessToken"]

    me = cognito.get_user(AccessToken=access)
    attributes = {a["Name"]: a["Value"] for a in me["UserAttributes"]}
    assert me["Username"] == sub, me
    assert attributes.get("email") == EMAIL and attributes.get("email_verified") == "true", attributes
    assert attributes.get("name") == GUIDE_USER["name"], attributes

    # The same signature over different claims is not the emulator's token.
    header, payload, signature = access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "username": "admin"}).encode()).decode().rstrip("=")
    assert refused(cognito.get_user, AccessToken=f"{header}.{forged}.{signature}") == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )

    refreshed = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed and refreshed["AccessToken"] != access, refreshed.keys()
    assert cognito.get_user(AccessToken=refreshed["AccessToken"])["Username"] == sub

    # The guide's forgot_password and confirm_forgot_password.
    cognito.forgot_password(ClientId=client_id, Username=EMAIL)
    code = inbox_code(url, pool_id, sub, "ForgotPassword")
    cognito.confirm_forgot_password(ClientId=client_id, Username=EMAIL, ConfirmationCode=code, Password=NEW_PASSWORD)
    assert refused(login) == ("NotAuthorizedException", "Incorrect username or password."), "old password"
    tokens = login(NEW_PASSWORD)["AuthenticationResult"]
    access = tokens["AccessToken"]

    cognito.global_sign_out(AccessToken=access)
    assert refused(cognito.get_user, AccessToken=access) == ("NotAuthorizedException", "Access Token has been revoked")
    assert refused(
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    ) == ("NotAuthorizedException", "Refresh Token has been revoked")
