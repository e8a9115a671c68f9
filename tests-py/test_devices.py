"""Remembered devices through boto3: a sign-in hands out NewDeviceMetadata, ConfirmDevice stores
the device, and the admin calls (AdminGetDevice, AdminListDevices with pagination,
AdminUpdateDeviceStatus, AdminForgetDevice) and the user's own (GetDevice, UpdateDeviceStatus,
ForgetDevice) see and change it, with Cognito's errors for a device that does not exist. The device's own SRP sign-in is tested with the JavaScript clients.
"""

import base64
import datetime
import os

from guide import error_of

PASSWORD = "Passw0rd!"
NOT_FOUND = ("ResourceNotFoundException", "Device does not exist.", 400)


def make_pool(cognito):
    pool = cognito.create_user_pool(
        PoolName="devices",
        DeviceConfiguration={"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True},
    )["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="devices",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool["Id"], Username="pat", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool["Id"], Username="pat", Password=PASSWORD, Permanent=True)
    return pool["Id"], client["ClientId"]


def new_device(cognito, client_id, name):
    """Signs pat in and confirms the device handed out; returns its key and the sign-in's tokens."""
    result = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "pat", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    # Any salt and verifier do for these calls: the device never signs in with SRP here.
    verifier = {
        "Salt": base64.b64encode(os.urandom(16)).decode(),
        "PasswordVerifier": base64.b64encode(b"\x01" + os.urandom(383)).decode(),
    }
    confirmed = cognito.confirm_device(
        AccessToken=result["AccessToken"],
        DeviceKey=meta["DeviceKey"],
        DeviceSecretVerifierConfig=verifier,
        DeviceName=name,
    )
    assert confirmed["UserConfirmationNecessary"] is True
    return meta["DeviceKey"], result


def attributes(device):
    return {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}


def test_admin_device_calls(cognito):
    pool_id, client_id = make_pool(cognito)
    first, tokens = new_device(cognito, client_id, "laptop")
    second, _ = new_device(cognito, client_id, "phone")

    got = cognito.admin_get_device(UserPoolId=pool_id, Username="pat", DeviceKey=first)["Device"]
    assert got["DeviceKey"] == first
    assert isinstance(got["DeviceCreateDate"], datetime.datetime)
    assert isinstance(got["DeviceLastAuthenticatedDate"], datetime.datetime)
    assert attributes(got)["device_name"] == "laptop"
    assert attributes(got)["dev:device_remembered_status"] == "not_remembered"

    page = cognito.admin_list_devices(UserPoolId=pool_id, Username="pat", Limit=1)
    assert [d["DeviceKey"] for d in page["Devices"]] == [first]
    rest = cognito.admin_list_devices(UserPoolId=pool_id, Username="pat", PaginationToken=page["PaginationToken"])
    assert [d["DeviceKey"] for d in rest["Devices"]] == [second]
    assert "PaginationToken" not in rest

    cognito.admin_update_device_status(
        UserPoolId=pool_id, Username="pat", DeviceKey=first, DeviceRememberedStatus="remembered"
    )
    got = cognito.admin_get_device(UserPoolId=pool_id, Username="pat", DeviceKey=first)["Device"]
    assert attributes(got)["dev:device_remembered_status"] == "remembered"
    # The user's own ListDevices shows the remembered one only.
    mine = cognito.list_devices(AccessToken=tokens["AccessToken"])["Devices"]
    assert [d["DeviceKey"] for d in mine] == [first]

    cognito.admin_forget_device(UserPoolId=pool_id, Username="pat", DeviceKey=first)
    assert error_of(cognito.admin_get_device, UserPoolId=pool_id, Username="pat", DeviceKey=first) == NOT_FOUND
    assert error_of(cognito.admin_forget_device, UserPoolId=pool_id, Username="pat", DeviceKey=first) == NOT_FOUND
    assert (
        error_of(
            cognito.admin_update_device_status,
            UserPoolId=pool_id,
            Username="pat",
            DeviceKey=first,
            DeviceRememberedStatus="remembered",
        )
        == NOT_FOUND
    )
    listed = cognito.admin_list_devices(UserPoolId=pool_id, Username="pat")["Devices"]
    assert [d["DeviceKey"] for d in listed] == [second]

    code, _, status = error_of(cognito.admin_list_devices, UserPoolId=pool_id, Username="nobody")
    assert (code, status) == ("UserNotFoundException", 400)
    code, _, _ = error_of(cognito.admin_get_device, UserPoolId=pool_id, Username="pat", DeviceKey="no-underscore")
    assert code == "InvalidParameterException"


def test_the_users_own_device_calls(cognito):
    pool_id, client_id = make_pool(cognito)
    key, tokens = new_device(cognito, client_id, "tablet")
    token = tokens["AccessToken"]
    # Confirmed on the user's prompt: not remembered, so GetDevice does not show it yet.
    assert error_of(cognito.get_device, AccessToken=token, DeviceKey=key) == NOT_FOUND
    cognito.update_device_status(AccessToken=token, DeviceKey=key, DeviceRememberedStatus="remembered")
    got = cognito.get_device(AccessToken=token, DeviceKey=key)["Device"]
    assert got["DeviceKey"] == key
    assert attributes(got)["device_name"] == "tablet"
    assert attributes(got)["dev:device_remembered_status"] == "remembered"
    assert isinstance(got["DeviceLastModifiedDate"], datetime.datetime)
    code, _, status = error_of(
        cognito.update_device_status, AccessToken=token, DeviceKey=key, DeviceRememberedStatus="sometimes"
    )
    assert (code, status) == ("InvalidParameterException", 400)

    cognito.forget_device(AccessToken=token, DeviceKey=key)
    assert error_of(cognito.get_device, AccessToken=token, DeviceKey=key) == NOT_FOUND
    assert error_of(cognito.forget_device, AccessToken=token, DeviceKey=key) == NOT_FOUND
    assert error_of(cognito.admin_get_device, UserPoolId=pool_id, Username="pat", DeviceKey=key) == NOT_FOUND
    assert (
        error_of(cognito.update_device_status, AccessToken=token, DeviceKey=key, DeviceRememberedStatus="remembered")
        == NOT_FOUND
    )
    code, _, _ = error_of(cognito.get_device, AccessToken="not-a-token", DeviceKey=key)
    assert code == "NotAuthorizedException"
