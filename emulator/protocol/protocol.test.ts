import { beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";
import { OPERATION_NAMES } from "../model/index.js";

let twin: TwinApp;
beforeAll(async () => {
  twin = await createApp({ logLevel: "silent", maxBodyBytes: 4096 });
});

function expectCognitoError(res: { status: number; headers: Headers; body: Record<string, unknown> }, type: string) {
  expect(res.status).toBe(400);
  expect(res.body.__type).toBe(type);
  expect(typeof res.body.message).toBe("string");
  expect(res.headers.get("x-amzn-errortype")).toBe(`${type}:`);
  expect(res.headers.get("x-amzn-errormessage")).toBe(res.body.message);
  expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
}

describe("JSON 1.1 protocol", () => {
  it("answers success with a request id and the JSON 1.1 content type", async () => {
    const res = await call(twin, "ListUserPools", { MaxResults: 10 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ UserPools: [] });
  });

  it("refuses a missing target, a wrong prefix and an unknown operation", async () => {
    const missing = await twin.app.request("/", { method: "POST", body: "{}" });
    const body = (await missing.json()) as Record<string, unknown>;
    expect(missing.status).toBe(400);
    expect(body.__type).toBe("UnknownOperationException");
    expectCognitoError(
      await call(twin, "X", {}, { "x-amz-target": "AWSCognitoIdentityService.ListUserPools" }),
      "UnknownOperationException",
    );
    expectCognitoError(await call(twin, "NoSuchOperation", {}), "UnknownOperationException");
    expectCognitoError(await call(twin, "__proto__", {}), "UnknownOperationException");
  });

  it("refuses malformed JSON, non-object JSON, wrong types and a wrong content type", async () => {
    expectCognitoError(await call(twin, "ListUserPools", "{not json"), "SerializationException");
    expectCognitoError(await call(twin, "ListUserPools", "[1,2]"), "SerializationException");
    expectCognitoError(await call(twin, "ListUserPools", { MaxResults: "10" }), "SerializationException");
    expectCognitoError(
      await call(twin, "CreateUserPool", { PoolName: "p", Schema: { not: "a list" } }),
      "SerializationException",
    );
    expectCognitoError(
      await call(twin, "ListUserPools", { MaxResults: 10 }, { "content-type": "text/plain" }),
      "SerializationException",
    );
  });

  it("refuses an oversize body with a Cognito-shaped error", async () => {
    const res = await call(twin, "CreateUserPool", { PoolName: "x".repeat(10_000) });
    expectCognitoError(res, "InvalidParameterException");
    expect(res.body.message).toContain("exceeds the limit of 4096 bytes");
  });

  it("writes Coral's validation messages for each constraint kind", async () => {
    const required = await call(twin, "DescribeUserPool", {});
    expectCognitoError(required, "InvalidParameterException");
    expect(required.body.message).toBe(
      "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    );

    const several = await call(twin, "DescribeUserPoolClient", { UserPoolId: "us-east-1_abc", ClientId: "" });
    expect(several.body.message).toBe(
      "2 validation errors detected: Value '' at 'clientId' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    );

    const range = await call(twin, "ListUserPools", { MaxResults: 0 });
    expect(range.body.message).toBe(
      "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );

    const enumValue = await call(twin, "CreateUserPool", { PoolName: "p", MfaConfiguration: "SOMETIMES" });
    expect(enumValue.body.message).toBe(
      "1 validation error detected: Value 'SOMETIMES' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
    );

    const nested = await call(twin, "CreateUserPool", {
      PoolName: "p",
      Policies: { PasswordPolicy: { MinimumLength: 5 } },
    });
    expect(nested.body.message).toBe(
      "1 validation error detected: Value '5' at 'policies.passwordPolicy.minimumLength' failed to satisfy constraint: Member must have value greater than or equal to 6",
    );

    const listSize = await call(twin, "AddCustomAttributes", {
      UserPoolId: "us-east-1_abc",
      CustomAttributes: Array.from({ length: 26 }, (_, i) => ({ Name: `a${i}`, AttributeDataType: "String" })),
    });
    expect(listSize.body.message).toContain(
      "at 'customAttributes' failed to satisfy constraint: Member must have length less than or equal to 25",
    );

    const listMember = await call(twin, "AdminUpdateUserAttributes", {
      UserPoolId: "us-east-1_abc",
      Username: "u",
      UserAttributes: [{ Name: "" }],
    });
    expect(listMember.body.message).toContain(
      "Value '' at 'userAttributes.1.member.name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );

    const listEnum = await call(twin, "CreateUserPool", { PoolName: "p", AutoVerifiedAttributes: ["email", "fax"] });
    expect(listEnum.body.message).toBe(
      "1 validation error detected: Value '[email, fax]' at 'autoVerifiedAttributes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [phone_number, email]]",
    );

    const sensitive = await call(twin, "SignUp", { ClientId: "abc", Username: "u", Password: "" });
    expect(sensitive.body.message).toContain("Value at 'password' failed to satisfy constraint");
    expect(sensitive.body.message).not.toContain("Value '' at 'password'");
  });

  it("serves every operation of the model (none answers UnsupportedOperationException)", async () => {
    for (const name of OPERATION_NAMES) {
      const res = await call(twin, name, {});
      expect(res.body.__type, name).not.toBe("UnsupportedOperationException");
    }
  });

  it("knows every operation of the model (none is an unknown target)", async () => {
    for (const name of OPERATION_NAMES) {
      const res = await call(twin, name, {});
      expect(res.status, name).toBeLessThan(500);
      expect(res.body.__type, name).not.toBe("UnknownOperationException");
    }
  });

  it("requires a SigV4 Authorization on signed operations, and takes the region from its scope", async () => {
    expectCognitoError(
      await call(twin, "ListUserPools", { MaxResults: 1 }, { authorization: "" }),
      "MissingAuthenticationTokenException",
    );
    expectCognitoError(
      await call(twin, "ListUserPools", { MaxResults: 1 }, { authorization: "Bearer abc" }),
      "IncompleteSignatureException",
    );
    const sig =
      "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-3/cognito-idp/aws4_request, SignedHeaders=host, Signature=" +
      "a".repeat(64);
    const res = await call(twin, "CreateUserPool", { PoolName: "regional" }, { authorization: sig });
    const pool = (res.body.UserPool ?? {}) as { Id: string; Arn: string };
    expect(pool.Id).toMatch(/^eu-west-3_[0-9A-Za-z]{9}$/);
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:eu-west-3:000000000000:userpool/${pool.Id}`);
  });

  it("answers CORS preflight with the exposed headers browsers need", async () => {
    const res = await twin.app.request("/", {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:3000",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-amz-target,x-amz-user-agent",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("x-amz-target");
    const post = await call(twin, "ListUserPools", { MaxResults: 1 }, { origin: "http://localhost:3000" });
    expect(post.headers.get("access-control-expose-headers")).toContain("x-amzn-RequestId");
    expect(post.headers.get("access-control-expose-headers")).toContain("x-amzn-ErrorType");
  });
});
