"""Passkeys through boto3: the pool's WebAuthnConfiguration, StartWebAuthnRegistration's
creation options as a document, CompleteWebAuthnRegistration's refusals with Cognito's error
codes, ListWebAuthnCredentials / DeleteWebAuthnCredential, and a registration completed with the
JavaScript tests' software authenticator (run through tsx). Signing in with a real authenticator is
tested with the JavaScript clients (a software authenticator and Chromium's).
"""

import base64
import json
import pathlib
import shutil
import subprocess

import pytest

from guide import error_of

PASSWORD = "Passw0rd!"


def passkey_pool(cognito, rp_id="auth.example.com"):
    pool = cognito.create_user_pool(
        PoolName="passkeys",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )["UserPool"]
    configured = cognito.set_user_pool_mfa_config(
        UserPoolId=pool["Id"],
        MfaConfiguration="OFF",
        WebAuthnConfiguration={"RelyingPartyId": rp_id, "UserVerification": "required"},
    )
    assert configured["WebAuthnConfiguration"] == {"RelyingPartyId": rp_id, "UserVerification": "required"}
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="passkeys",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool["Id"], Username="kim", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool["Id"], Username="kim", Password=PASSWORD, Permanent=True)
    tokens = cognito.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "kim", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return pool["Id"], tokens["AccessToken"]


def test_creation_options_are_a_document(cognito):
    pool_id, token = passkey_pool(cognito)
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    sub = cognito.admin_get_user(UserPoolId=pool_id, Username="kim")["UserAttributes"]
    sub = next(a["Value"] for a in sub if a["Name"] == "sub")
    assert options["rp"] == {"id": "auth.example.com", "name": "auth.example.com"}
    assert options["user"]["name"] == "kim"
    assert base64.urlsafe_b64decode(options["user"]["id"] + "==").decode() == sub
    assert [p["alg"] for p in options["pubKeyCredParams"]] == [-7, -257]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["excludeCredentials"] == []
    assert len(base64.urlsafe_b64decode(options["challenge"] + "==")) == 32


def test_refusals_have_cognitos_codes(cognito):
    _, token = passkey_pool(cognito)
    complete = cognito.complete_web_authn_registration
    # Nothing started yet.
    client_data = base64.urlsafe_b64encode(
        json.dumps({"type": "webauthn.create", "challenge": "AAAA", "origin": "https://auth.example.com"}).encode()
    ).decode().rstrip("=")
    credential = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": client_data, "attestationObject": "AAAA"},
    }
    assert error_of(complete, AccessToken=token, Credential=credential)[0] == "WebAuthnChallengeNotFoundException"
    # Started: another challenge in the client data is still not found; garbage is malformed.
    cognito.start_web_authn_registration(AccessToken=token)
    assert error_of(complete, AccessToken=token, Credential=credential)[0] == "WebAuthnChallengeNotFoundException"
    code, message, status = error_of(complete, AccessToken=token, Credential={"id": 1})
    assert (code, status) == ("InvalidParameterException", 400)
    assert "malformed" in message


def test_list_and_delete(cognito):
    _, token = passkey_pool(cognito)
    assert cognito.list_web_authn_credentials(AccessToken=token, MaxResults=5)["Credentials"] == []
    code, _, status = error_of(cognito.delete_web_authn_credential, AccessToken=token, CredentialId="nothing")
    assert (code, status) == ("ResourceNotFoundException", 400)


def test_not_enabled_and_missing_configuration(cognito):
    pool = cognito.create_user_pool(PoolName="no-passkeys")["UserPool"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool["Id"], Username="lee", MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool["Id"], Username="lee", Password=PASSWORD, Permanent=True)
    token = cognito.initiate_auth(
        ClientId=client["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "lee", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    assert error_of(cognito.start_web_authn_registration, AccessToken=token)[0] == "WebAuthnNotEnabledException"
    cognito.update_user_pool(
        UserPoolId=pool["Id"], Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}}
    )
    assert (
        error_of(cognito.start_web_authn_registration, AccessToken=token)[0] == "WebAuthnConfigurationMissingException"
    )


# The software authenticator of the JavaScript tests (test-support/soft-authenticator.ts, real
# keys and CBOR from a library), run through tsx: no Python CBOR library is installed, and
# attestation objects are not hand-encoded here.
ROOT = pathlib.Path(__file__).resolve().parent.parent
TSX = ROOT / "node_modules" / ".bin" / "tsx"
CREATE = """(async () => {
  const { SoftAuthenticator } = await import("./test-support/soft-authenticator.ts");
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  const authenticator = new SoftAuthenticator({ origin: "https://auth.example.com" });
  process.stdout.write(JSON.stringify(authenticator.create(JSON.parse(text))));
})();"""


def soft_attestation(options):
    """A RegistrationResponseJSON for the creation options, from the Node software authenticator."""
    if not TSX.exists() or shutil.which("node") is None:
        pytest.skip("node and tsx (npm install) are needed for the software authenticator")
    done = subprocess.run(
        [str(TSX), "-e", CREATE],
        input=json.dumps(options),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


def test_register_a_passkey_then_delete_it(cognito):
    _, token = passkey_pool(cognito)
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    credential = soft_attestation(options)
    completed = cognito.complete_web_authn_registration(AccessToken=token, Credential=credential)
    assert completed["ResponseMetadata"]["HTTPStatusCode"] == 200
    listed = cognito.list_web_authn_credentials(AccessToken=token)["Credentials"]
    assert [c["CredentialId"] for c in listed] == [credential["id"]]
    assert listed[0]["RelyingPartyId"] == "auth.example.com"
    # The same attestation again: its challenge was used up.
    code, _, _ = error_of(cognito.complete_web_authn_registration, AccessToken=token, Credential=credential)
    assert code == "WebAuthnChallengeNotFoundException"
    cognito.delete_web_authn_credential(AccessToken=token, CredentialId=credential["id"])
    assert cognito.list_web_authn_credentials(AccessToken=token)["Credentials"] == []
    code, _, status = error_of(cognito.delete_web_authn_credential, AccessToken=token, CredentialId=credential["id"])
    assert (code, status) == ("ResourceNotFoundException", 400)


def test_passkey_mfa_settings(cognito):
    """Passkeys as MFA: the pool's FactorConfiguration, then the user's WebAuthnMfaSettings beside
    another factor; without the pool setting, or alone, InvalidParameterException."""
    pool_id, _ = passkey_pool(cognito)
    single = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool_id,
        Username="kim",
        WebAuthnMfaSettings={"Enabled": True},
    )
    assert single[0] == "InvalidParameterException"
    assert "MULTI_FACTOR_WITH_USER_VERIFICATION" in single[1]
    configured = cognito.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        WebAuthnConfiguration={
            "RelyingPartyId": "auth.example.com",
            "FactorConfiguration": "MULTI_FACTOR_WITH_USER_VERIFICATION",
        },
    )
    assert configured["WebAuthnConfiguration"]["FactorConfiguration"] == "MULTI_FACTOR_WITH_USER_VERIFICATION"
    alone = error_of(
        cognito.admin_set_user_mfa_preference,
        UserPoolId=pool_id,
        Username="kim",
        WebAuthnMfaSettings={"Enabled": True},
    )
    assert alone[0] == "InvalidParameterException"
    assert "at least one other MFA method" in alone[1]
    # Every passkey ceremony in the pool now asks for user verification.
    client_id = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=1)["UserPoolClients"][0]["ClientId"]
    token = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "kim", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    options = cognito.start_web_authn_registration(AccessToken=token)["CredentialCreationOptions"]
    assert options["authenticatorSelection"]["userVerification"] == "required"
