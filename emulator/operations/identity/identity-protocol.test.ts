// The identity pools' API at the front door, in process: chosen by its X-Amz-Target prefix,
// validated against its own model, signed operations needing SigV4 and the unsigned ones not.
import { afterAll, describe, expect, it } from "vitest";
import { fakeSigV4 } from "../../../test-support/twin.js";
import { createApp } from "../../app.js";

async function call(operation: string, input: unknown, signed = true, prefix = "AWSCognitoIdentityService") {
  const twin = await app;
  const res = await twin.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `${prefix}.${operation}`,
      ...(signed ? { authorization: fakeSigV4() } : {}),
    },
    body: JSON.stringify(input),
  });
  return {
    status: res.status,
    type: res.headers.get("x-amzn-errortype"),
    body: (await res.json()) as Record<string, unknown>,
  };
}

const app = createApp({ logLevel: "silent" });
afterAll(async () => (await app).close());

describe("AWSCognitoIdentityService at POST /", () => {
  it("needs SigV4 for the administration calls, not for GetId", async () => {
    expect(
      await call("CreateIdentityPool", { IdentityPoolName: "p", AllowUnauthenticatedIdentities: true }, false),
    ).toMatchObject({
      status: 400,
      body: { __type: "MissingAuthenticationTokenException" },
    });
    const created = await call("CreateIdentityPool", { IdentityPoolName: "p", AllowUnauthenticatedIdentities: true });
    expect(created.status).toBe(200);
    const id = created.body.IdentityPoolId as string;
    expect(id).toMatch(/^us-east-1:/);
    expect(await call("GetId", { IdentityPoolId: id }, false)).toMatchObject({ status: 200 });
  });

  it("validates against the identity model, with the same messages as the user pools' API", async () => {
    expect(await call("GetId", { IdentityPoolId: "not an id" }, false)).toEqual({
      status: 400,
      type: "InvalidParameterException:",
      body: {
        __type: "InvalidParameterException",
        message: expect.stringMatching(
          /^1 validation error detected: Value 'not an id' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern/,
        ),
      },
    });
    expect(await call("ListIdentityPools", { MaxResults: 61 })).toMatchObject({
      status: 400,
      body: { __type: "InvalidParameterException" },
    });
    expect(await call("GetId", { IdentityPoolId: 5 }, false)).toMatchObject({
      status: 400,
      body: { __type: "SerializationException" },
    });
  });

  it("answers an unknown operation of the prefix, and an unknown prefix, as before", async () => {
    expect(await call("Nope", {})).toMatchObject({
      status: 400,
      body: { __type: "UnknownOperationException", message: "Unknown operation Nope." },
    });
    expect(await call("GetId", {}, true, "AWSCognitoIdentityServiceX")).toMatchObject({
      status: 400,
      body: { __type: "UnknownOperationException" },
    });
  });
});
