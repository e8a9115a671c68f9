"""AttributesRequireVerificationBeforeUpdate through boto3 (docs/users-and-sign-in.md): the verified
email stays in effect, and signs in, until the new one is verified with VerifyUserAttribute."""

from guide import error_of, inbox_code


def attributes(cognito, pool_id, username):
    user = cognito.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_email_change_waits_for_verification(cognito, url):
    pool_id = cognito.create_user_pool(
        PoolName="keep-original",
        AliasAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="ann",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}, {"Name": "email_verified", "Value": "true"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password="Passw0rd!", Permanent=True)

    def sign_in(name):
        return cognito.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": name, "PASSWORD": "Passw0rd!"}
        )["AuthenticationResult"]["AccessToken"]

    token = sign_in("ann")
    out = cognito.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "ann.new@example.com"}])
    assert out["CodeDeliveryDetailsList"] == [
        {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    ]
    assert attributes(cognito, pool_id, "ann")["email"] == "ann@example.com"
    assert sign_in("ann@example.com")
    code, _, _ = error_of(
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann.new@example.com", "PASSWORD": "Passw0rd!"},
    )
    assert code == "UserNotFoundException"

    code = inbox_code(url, pool_id, "ann", "VerifyUserAttribute")
    cognito.verify_user_attribute(AccessToken=token, AttributeName="email", Code=code)
    assert attributes(cognito, pool_id, "ann")["email"] == "ann.new@example.com"
    assert sign_in("ann.new@example.com")


def test_kept_attributes_must_be_auto_verified(cognito):
    code, message, status = error_of(
        cognito.create_user_pool,
        PoolName="bad",
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
    )
    assert (code, status) == ("InvalidParameterException", 400)
    assert message == "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes"
