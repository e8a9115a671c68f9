"""Managed login branding and classic UI customisation through boto3 (docs/hosted-ui.md#branding):
a style's Settings document and assets round-trip, and SetUICustomization's logo is served at its
ImageUrl."""

import base64
import struct
import urllib.request
import zlib

from guide import error_of


def png(width, height, rgb):
    """A solid-colour PNG, built by hand so no image file is needed."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def pool_with_client(cognito):
    pool_id = cognito.create_user_pool(PoolName="branded")["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain="branded-" + pool_id.split("_")[1].lower())
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web")["UserPoolClient"]["ClientId"]
    return pool_id, client_id


def test_managed_login_branding_round_trip(cognito):
    pool_id, client_id = pool_with_client(cognito)
    logo = png(2, 2, (255, 0, 0))
    settings = {"components": {"pageBackground": {"lightMode": {"color": "abcdefff"}}}, "mine": [1, 2]}
    created = cognito.create_managed_login_branding(
        UserPoolId=pool_id,
        ClientId=client_id,
        Settings=settings,
        Assets=[{"Category": "FORM_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": logo}],
    )["ManagedLoginBranding"]
    assert created["Settings"] == settings
    assert created["Assets"][0]["Bytes"] == logo
    merged = cognito.describe_managed_login_branding(
        UserPoolId=pool_id, ManagedLoginBrandingId=created["ManagedLoginBrandingId"], ReturnMergedResources=True
    )["ManagedLoginBranding"]["Settings"]
    assert merged["components"]["pageBackground"]["lightMode"]["color"] == "abcdefff"
    assert merged["components"]["primaryButton"]["lightMode"]["defaults"]["backgroundColor"] == "0972d3ff"
    code, _, status = error_of(cognito.create_managed_login_branding, UserPoolId=pool_id, ClientId=client_id)
    assert (code, status) == ("ManagedLoginBrandingExistsException", 400)
    cognito.delete_managed_login_branding(UserPoolId=pool_id, ManagedLoginBrandingId=created["ManagedLoginBrandingId"])
    code, _, _ = error_of(cognito.describe_managed_login_branding_by_client, UserPoolId=pool_id, ClientId=client_id)
    assert code == "ResourceNotFoundException"


def test_ui_customization_logo_is_served(cognito):
    pool_id, client_id = pool_with_client(cognito)
    logo = png(3, 1, (0, 0, 255))
    css = ".submitButton-customizable { background-color: #123456; }"
    out = cognito.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, CSS=css, ImageFile=logo)["UICustomization"]
    assert out["ClientId"] == client_id and out["CSS"] == css
    with urllib.request.urlopen(out["ImageUrl"]) as res:
        assert res.headers["Content-Type"] == "image/png"
        assert res.read() == logo
    code, message, _ = error_of(cognito.set_ui_customization, UserPoolId=pool_id, CSS="body { color: red; }")
    assert code == "InvalidParameterException"
    assert message == "Invalid CSS: body is not one of the customizable classes."
    assert base64.b64encode(logo)  # the SDK sent the blob as base64
