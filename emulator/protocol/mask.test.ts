import { describe, expect, it } from "vitest";
import { model } from "../model/index.js";
import { MASK, maskByName, maskByShape, maskUrl } from "./mask.js";

const shapes = model.shapes;

describe("masking by the model's sensitive shapes", () => {
  it("masks SignUp's password and secret hash, and shows who signs up", () => {
    const input = {
      ClientId: "client1",
      SecretHash: "c2VjcmV0",
      Username: "alice",
      Password: "Passw0rd!",
      UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
      UserContextData: { EncodedData: "abc", IpAddress: "10.0.0.1" },
    };
    expect(maskByShape(input, "SignUpRequest", shapes)).toEqual({
      ClientId: "client1",
      SecretHash: MASK,
      Username: "alice",
      Password: MASK,
      UserAttributes: [{ Name: "email", Value: "alice@example.com" }],
      UserContextData: MASK,
    });
  });

  it("masks the values of AuthParameters and ChallengeResponses but USERNAME", () => {
    expect(
      maskByShape(
        {
          AuthFlow: "USER_SRP_AUTH",
          ClientId: "c",
          AuthParameters: { USERNAME: "alice", SRP_A: "abcdef", SECRET_HASH: "h", DEVICE_KEY: "us-east-1_d" },
        },
        "InitiateAuthRequest",
        shapes,
      ),
    ).toEqual({
      AuthFlow: "USER_SRP_AUTH",
      ClientId: "c",
      AuthParameters: { USERNAME: "alice", SRP_A: MASK, SECRET_HASH: MASK, DEVICE_KEY: "us-east-1_d" },
    });
    expect(
      maskByShape(
        {
          ChallengeName: "SMS_MFA",
          ClientId: "c",
          Session: "session-string",
          ChallengeResponses: { USERNAME: "alice", SMS_MFA_CODE: "123456" },
        },
        "RespondToAuthChallengeRequest",
        shapes,
      ),
    ).toEqual({
      ChallengeName: "SMS_MFA",
      ClientId: "c",
      Session: MASK,
      ChallengeResponses: { USERNAME: "alice", SMS_MFA_CODE: MASK },
    });
  });

  it("masks the tokens of an AuthenticationResult and keeps the rest", () => {
    const out = maskByShape(
      {
        AuthenticationResult: {
          AccessToken: "eyJ.a.b",
          IdToken: "eyJ.c.d",
          RefreshToken: "r",
          ExpiresIn: 3600,
          TokenType: "Bearer",
          NewDeviceMetadata: { DeviceKey: "us-east-1_x", DeviceGroupKey: "g" },
        },
        ChallengeParameters: {},
      },
      "InitiateAuthResponse",
      shapes,
    );
    expect(out).toEqual({
      AuthenticationResult: {
        AccessToken: MASK,
        IdToken: MASK,
        RefreshToken: MASK,
        ExpiresIn: 3600,
        TokenType: "Bearer",
        NewDeviceMetadata: { DeviceKey: "us-east-1_x", DeviceGroupKey: "g" },
      },
      ChallengeParameters: {},
    });
  });

  it("masks what the model misses by name: confirmation codes, SRP values, IdP client secrets", () => {
    expect(
      maskByShape({ ClientId: "c", Username: "alice", ConfirmationCode: "123456" }, "ConfirmSignUpRequest", shapes),
    ).toEqual({ ClientId: "c", Username: "alice", ConfirmationCode: MASK });
    expect(
      maskByShape(
        {
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeParameters: {
            SRP_B: "b",
            SALT: "s",
            SECRET_BLOCK: "x",
            USER_ID_FOR_SRP: "alice",
            USERNAME: "alice",
          },
        },
        "InitiateAuthResponse",
        shapes,
      ),
    ).toEqual({
      ChallengeName: "PASSWORD_VERIFIER",
      ChallengeParameters: { SRP_B: MASK, SALT: MASK, SECRET_BLOCK: MASK, USER_ID_FOR_SRP: "alice", USERNAME: "alice" },
    });
    expect(
      maskByShape(
        {
          UserPoolId: "us-east-1_a",
          ProviderName: "Google",
          ProviderType: "Google",
          ProviderDetails: { client_id: "id", client_secret: "shh", authorize_scopes: "email" },
        },
        "CreateIdentityProviderRequest",
        shapes,
      ),
    ).toEqual({
      UserPoolId: "us-east-1_a",
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: { client_id: "id", client_secret: MASK, authorize_scopes: "email" },
    });
  });

  it("leaves enums and numbers alone however they are named, and keeps Dates", () => {
    const created = new Date(0);
    expect(
      maskByShape(
        {
          UserPoolClient: {
            ClientId: "c",
            ClientSecret: "s3cret",
            TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "days" },
            AccessTokenValidity: 1,
            CreationDate: created,
          },
        },
        "CreateUserPoolClientResponse",
        shapes,
      ),
    ).toEqual({
      UserPoolClient: {
        ClientId: "c",
        ClientSecret: MASK,
        TokenValidityUnits: { AccessToken: "hours", IdToken: "hours", RefreshToken: "days" },
        AccessTokenValidity: 1,
        CreationDate: created,
      },
    });
  });

  it("masks the TOTP secret AssociateSoftwareToken answers and the code VerifySoftwareToken sends", () => {
    expect(maskByShape({ SecretCode: "JBSWY3DP", Session: "s" }, "AssociateSoftwareTokenResponse", shapes)).toEqual({
      SecretCode: MASK,
      Session: MASK,
    });
    expect(maskByShape({ AccessToken: "t", UserCode: "123456" }, "VerifySoftwareTokenRequest", shapes)).toEqual({
      AccessToken: MASK,
      UserCode: MASK,
    });
  });

  it("keeps empty strings (nothing to hide) and input the model does not know, masked by name", () => {
    expect(maskByShape({ Password: "", Username: "a", ClientId: "c" }, "SignUpRequest", shapes)).toEqual({
      Password: "",
      Username: "a",
      ClientId: "c",
    });
    expect(maskByShape({ Unknown: { password: "x", other: "y" } }, "SignUpRequest", shapes)).toEqual({
      Unknown: { password: MASK, other: "y" },
    });
    expect(maskByShape("not an object", "SignUpRequest", shapes)).toBe("not an object");
    expect(maskByShape({ a: 1 }, undefined, shapes)).toEqual({ a: 1 });
  });
});

describe("masking by name", () => {
  it("masks form fields and OAuth parameters that carry secrets, at any depth", () => {
    expect(
      maskByName({
        username: "alice",
        password: "p",
        client_secret: "s",
        code: "c",
        code_verifier: "v",
        refresh_token: "r",
        token_type: "Bearer",
        nested: [{ id_token: "i", state: "st" }],
        n: 3,
      }),
    ).toEqual({
      username: "alice",
      password: MASK,
      client_secret: MASK,
      code: MASK,
      code_verifier: MASK,
      refresh_token: MASK,
      token_type: "Bearer",
      nested: [{ id_token: MASK, state: "st" }],
      n: 3,
    });
  });

  it("masks secret query and fragment parameters of a URL", () => {
    expect(maskUrl("https://app.example/cb?code=abc&state=xyz")).toBe("https://app.example/cb?code=***&state=xyz");
    expect(maskUrl("https://app.example/cb#id_token=a.b.c&access_token=d&expires_in=3600")).toBe(
      "https://app.example/cb#id_token=***&access_token=***&expires_in=3600",
    );
    expect(maskUrl("/login?client_id=c&redirect_uri=x")).toBe("/login?client_id=c&redirect_uri=x");
    expect(maskUrl("/x?%zz=1&code=")).toBe("/x?%zz=1&code=");
  });
});
