"""Client secret rotation, legacy user settings, terms documents and log delivery through boto3
(docs/pool-settings.md): what botocore sends and parses for the 2025 operations."""

import base64
import hashlib
import hmac

from guide import error_of


def secret_hash(secret, username, client_id):
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def confidential_client(cognito):
    pool = cognito.create_user_pool(PoolName="settings")["UserPool"]
    app = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="confidential",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return pool["Id"], app["ClientId"], app["ClientSecret"]


def test_rotates_a_client_secret(cognito):
    pool_id, client_id, first = confidential_client(cognito)
    cognito.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password="Passw0rd!", Permanent=True)
    added = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]
    assert added["ClientSecretId"].startswith(f"{client_id}--"), added
    for secret in (first, second):
        out = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Passw0rd!", "SECRET_HASH": secret_hash(secret, "ann", client_id)},
        )
        assert "AccessToken" in out["AuthenticationResult"]
    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert len(listed) == 2 and all("ClientSecretValue" not in s for s in listed), listed
    assert listed[0]["ClientSecretCreateDate"].year >= 2024
    code, *_ = error_of(cognito.add_user_pool_client_secret, UserPoolId=pool_id, ClientId=client_id)
    assert code == "LimitExceededException"
    cognito.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=listed[0]["ClientSecretId"])
    code, *_ = error_of(
        cognito.delete_user_pool_client_secret, UserPoolId=pool_id, ClientId=client_id, ClientSecretId=listed[1]["ClientSecretId"]
    )
    assert code == "InvalidParameterException"


def test_user_settings_terms_and_log_delivery(cognito):
    pool_id, client_id, _ = confidential_client(cognito)
    cognito.admin_create_user(
        UserPoolId=pool_id,
        Username="sam",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550123"}],
    )
    sms = {"DeliveryMedium": "SMS", "AttributeName": "phone_number"}
    cognito.admin_set_user_settings(UserPoolId=pool_id, Username="sam", MFAOptions=[sms])
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="sam")["MFAOptions"] == [sms]
    code, message, _ = error_of(
        cognito.admin_set_user_settings,
        UserPoolId=pool_id,
        Username="sam",
        MFAOptions=[{"DeliveryMedium": "EMAIL", "AttributeName": "email"}],
    )
    assert (code, message) == ("InvalidParameterException", "Only phone_number attribute is currently supported as a MFA option.")

    terms = cognito.create_terms(
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="privacy-policy",
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"cognito:default": "https://example.com/privacy"},
    )["Terms"]
    assert cognito.describe_terms(UserPoolId=pool_id, TermsId=terms["TermsId"])["Terms"] == terms
    assert [t["TermsId"] for t in cognito.list_terms(UserPoolId=pool_id)["Terms"]] == [terms["TermsId"]]
    code, *_ = error_of(
        cognito.create_terms,
        UserPoolId=pool_id,
        ClientId=client_id,
        TermsName="privacy-policy",
        TermsSource="LINK",
        Enforcement="NONE",
        Links={"cognito:default": "https://example.com/other"},
    )
    assert code == "TermsExistsException"
    cognito.delete_terms(UserPoolId=pool_id, TermsId=terms["TermsId"])

    config = {
        "EventSource": "userNotification",
        "LogLevel": "ERROR",
        "CloudWatchLogsConfiguration": {"LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:cognito"},
    }
    cognito.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[config])
    got = cognito.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got == {"UserPoolId": pool_id, "LogConfigurations": [config]}, got
    code, *_ = error_of(
        cognito.set_log_delivery_configuration,
        UserPoolId=pool_id,
        LogConfigurations=[{**config, "EventSource": "userAuthEvents", "LogLevel": "INFO"}],
    )
    assert code == "FeatureUnavailableInTierException"
