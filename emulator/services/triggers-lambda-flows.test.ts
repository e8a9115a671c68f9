// `--lambda-endpoint` end to end: SignUp (pre sign-up) and InitiateAuth (pre token generation)
// through a small Lambda stand-in on 127.0.0.1 speaking the Invoke API
// (`POST /2015-03-31/functions/{FunctionName}/invocations`, X-Amz-Function-Error for a function
// error), and through an endpoint that is down. The operations answer Cognito's errors, never a
// 5xx, and a failed pre sign-up creates no user. (triggers-lambda.test.ts covers the protocol.)
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test-support/twin.js";
import { createApp, type TwinApp } from "../app.js";
import { ManualClock } from "../core/clock.js";

const REGION = "eu-west-1";
const arn = (name: string) => `arn:aws:lambda:${REGION}:123456789012:function:${name}`;
const signed = {
  authorization: `AWS4-HMAC-SHA256 Credential=AKIDTWINTEST/20260101/${REGION}/cognito-idp/aws4_request, SignedHeaders=host, Signature=${"0".repeat(64)}`,
};

interface Invocation {
  name: string;
  invocationType: string | undefined;
  event: {
    triggerSource: string;
    version: string;
    userName: string;
    request: Record<string, unknown>;
    response: Record<string, unknown>;
  };
}

let lambda: Server;
let endpoint: string;
const invocations: Invocation[] = [];

/** The functions this stand-in has deployed, answering as Lambda does. */
function answer(name: string, event: Invocation["event"], res: ServerResponse): unknown {
  const json = (body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(200, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  switch (name) {
    case "auto-confirm":
      event.response.autoConfirmUser = true;
      event.response.autoVerifyEmail = true;
      return json(event);
    case "claims":
      // A version 2 handler: a claim in both tokens, a scope in the access token.
      event.response.claimsAndScopeOverrideDetails = {
        idTokenGeneration: { claimsToAddOrOverride: { tenant: "acme" } },
        accessTokenGeneration: { claimsToAddOrOverride: { tenant: "acme" }, scopesToAdd: ["acme/read"] },
      };
      return json(event);
    case "refuses":
      // What Lambda answers when the handler throws: 200, X-Amz-Function-Error, the error as the body.
      return json(
        {
          errorType: "Error",
          errorMessage: "Sign-ups are closed",
          trace: ["Error: Sign-ups are closed", "    at handler"],
        },
        { "x-amz-function-error": "Unhandled" },
      );
    case "not-json":
      // A 200 whose body is no JSON at all: no event to read.
      return res.writeHead(200, { "content-type": "application/json" }).end("not json");
    case "too-large":
      // The event, grown past Lambda's 6 MB in UTF-8 bytes (2.2 million three-byte characters).
      return json({ ...event, padding: "€".repeat(2_200_000) });
    default:
      res
        .writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" })
        .end(JSON.stringify({ Type: "User", message: `Function not found: ${arn(name)}` }));
  }
}

beforeAll(async () => {
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url!.split("?")[0]!);
      const name = m ? decodeURIComponent(m[1]!) : "";
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Invocation["event"];
      invocations.push({ name, invocationType: req.headers["x-amz-invocation-type"] as string | undefined, event });
      answer(name, event, res);
    });
  });
  await new Promise<void>((done) => lambda.listen(0, "127.0.0.1", done));
  endpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
});

afterAll(async () => {
  lambda.closeAllConnections();
  await new Promise((done) => lambda.close(done));
});

/** A port nothing listens on: an endpoint that is down. */
async function downEndpoint(): Promise<string> {
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((done) => closed.close(done));
  return `http://127.0.0.1:${port}`;
}

/** A twin whose triggers go to `lambdaEndpoint`, with a pool of `LambdaConfig` and a public client. */
async function twinWith(lambdaEndpoint: string, LambdaConfig: Record<string, unknown>) {
  const twin = await createApp(
    { logLevel: "silent", lambdaEndpoint, region: REGION },
    { clock: new ManualClock(Date.UTC(2026, 0, 1)), triggerTimeoutMs: 2000 },
  );
  const created = await call(
    twin,
    "CreateUserPool",
    { PoolName: "lambda-flows", AutoVerifiedAttributes: ["email"], LambdaConfig },
    signed,
  );
  expect(created.status).toBe(200);
  const poolId = (created.body.UserPool as { Id: string }).Id;
  const client = await call(
    twin,
    "CreateUserPoolClient",
    {
      UserPoolId: poolId,
      ClientName: "app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
    signed,
  );
  const clientId = (client.body.UserPoolClient as { ClientId: string }).ClientId;
  return { twin, poolId, clientId };
}

const PASSWORD = "Passw0rd!x";
const signUp = (twin: TwinApp, clientId: string, Username: string) =>
  call(twin, "SignUp", {
    ClientId: clientId,
    Username,
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: `${Username}@example.com` }],
  });
const signIn = (twin: TwinApp, clientId: string, USERNAME: string) =>
  call(twin, "InitiateAuth", {
    ClientId: clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME, PASSWORD },
  });
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
const userExists = async (twin: TwinApp, poolId: string, Username: string) =>
  (await call(twin, "AdminGetUser", { UserPoolId: poolId, Username }, signed)).status === 200;

describe("SignUp and InitiateAuth through a Lambda endpoint", () => {
  let twin: TwinApp;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ twin, poolId, clientId } = await twinWith(endpoint, {
      PreSignUp: arn("auto-confirm"),
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("claims") },
    }));
  });
  afterAll(() => twin.close());

  it("runs pre sign-up on the endpoint and applies its answer: the user is confirmed", async () => {
    invocations.length = 0;
    const res = await signUp(twin, clientId, "ann");
    expect(res.status).toBe(200);
    expect(res.body.UserConfirmed).toBe(true);
    expect(invocations).toHaveLength(1);
    expect(invocations[0]).toMatchObject({
      name: "auto-confirm",
      invocationType: "RequestResponse",
      event: {
        triggerSource: "PreSignUp_SignUp",
        userName: "ann",
        request: { userAttributes: { email: "ann@example.com" } },
      },
    });
    const user = await call(twin, "AdminGetUser", { UserPoolId: poolId, Username: "ann" }, signed);
    expect(user.body.UserStatus).toBe("CONFIRMED");
    expect(user.body.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
  });

  it("runs version 2 pre token generation on the endpoint at InitiateAuth: both tokens carry its claims", async () => {
    invocations.length = 0;
    const res = await signIn(twin, clientId, "ann");
    expect(res.status).toBe(200);
    const result = res.body.AuthenticationResult as { IdToken: string; AccessToken: string };
    expect(claims(result.IdToken).tenant).toBe("acme");
    const access = claims(result.AccessToken);
    expect(access.tenant).toBe("acme");
    expect(String(access.scope).split(" ")).toContain("acme/read");
    expect(invocations.map((i) => [i.name, i.event.triggerSource, i.event.version])).toEqual([
      ["claims", "TokenGeneration_Authentication", "2"],
    ]);
  });
});

/** A confirmed user with the test password, made without any trigger the pool may have. */
async function confirmedUser(twin: TwinApp, poolId: string, Username: string): Promise<void> {
  const created = await call(
    twin,
    "AdminCreateUser",
    { UserPoolId: poolId, Username, MessageAction: "SUPPRESS" },
    signed,
  );
  expect(created.status).toBe(200);
  const set = await call(
    twin,
    "AdminSetUserPassword",
    { UserPoolId: poolId, Username, Password: PASSWORD, Permanent: true },
    signed,
  );
  expect(set.status).toBe(200);
}

const setTriggers = async (twin: TwinApp, poolId: string, LambdaConfig: Record<string, unknown>) => {
  const res = await call(
    twin,
    "UpdateUserPool",
    { UserPoolId: poolId, AutoVerifiedAttributes: ["email"], LambdaConfig },
    signed,
  );
  expect(res.status).toBe(200);
};

describe("a function error from the endpoint (X-Amz-Function-Error)", () => {
  let twin: TwinApp;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ twin, poolId, clientId } = await twinWith(endpoint, {
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("refuses") },
    }));
  });
  afterAll(() => twin.close());

  it("answers InitiateAuth UserLambdaValidationException with the function's message, minting no tokens", async () => {
    await confirmedUser(twin, poolId, "cat");
    const res = await signIn(twin, clientId, "cat");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "UserLambdaValidationException",
      message: "PreTokenGeneration failed with error Sign-ups are closed.",
    });
  });

  it("answers SignUp UserLambdaValidationException, creating no user", async () => {
    await setTriggers(twin, poolId, { PreSignUp: arn("refuses") });
    const res = await signUp(twin, clientId, "bob");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "UserLambdaValidationException",
      message: "PreSignUp failed with error Sign-ups are closed.",
    });
    expect(await userExists(twin, poolId, "bob")).toBe(false);
  });
});

describe("a pre sign-up answer that is not an event", () => {
  let twin: TwinApp;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ twin, poolId, clientId } = await twinWith(endpoint, {}));
  });
  afterEach(() => twin.triggers.clear());
  afterAll(() => twin.close());

  const cases: { what: string; fn: string; inProcess?: () => unknown; error: Record<string, unknown> }[] = [
    {
      what: "a 200 whose body is not JSON",
      fn: "not-json",
      error: { __type: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    },
    {
      // Lambda itself refuses the answer (Function.ResponseSizeTooLarge, a function error), so
      // Cognito reports the function as failed with Lambda's message.
      what: "an answer over 6 MB",
      fn: "too-large",
      error: {
        __type: "UserLambdaValidationException",
        message:
          "PreSignUp failed with error Response payload size exceeded maximum allowed payload size (6291456 bytes)..",
      },
    },
    {
      // A handler set in the test wins over the endpoint: the in-process route, same operation.
      what: "an in-process handler returning a string",
      fn: "in-process",
      inProcess: () => "not an event",
      error: { __type: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    },
  ];
  for (const c of cases) {
    it(`fails SignUp on ${c.what}, leaving no user behind`, async () => {
      await setTriggers(twin, poolId, { PreSignUp: arn(c.fn) });
      if (c.inProcess) twin.triggers.set(arn(c.fn), c.inProcess);
      invocations.length = 0;
      const res = await signUp(twin, clientId, "fay");
      expect(res.status).toBe(400);
      expect(res.body).toEqual(c.error);
      // The function was reached (through the endpoint, or in process, not both).
      expect(invocations.map((i) => i.name)).toEqual(c.inProcess ? [] : [c.fn]);
      expect(twin.triggers.invocations.at(-1)).toMatchObject({
        functionArn: arn(c.fn),
        via: c.inProcess ? "handler" : "lambda",
      });
      const user = await call(twin, "AdminGetUser", { UserPoolId: poolId, Username: "fay" }, signed);
      expect(user.status).toBe(400);
      expect(user.body.__type).toBe("UserNotFoundException");
      const listed = await call(twin, "ListUsers", { UserPoolId: poolId }, signed);
      expect(listed.status).toBe(200);
      expect(listed.body.Users).toEqual([]);
    });
  }
});

describe("a Lambda endpoint that is down", () => {
  let twin: TwinApp;
  let poolId: string;
  let clientId: string;
  beforeAll(async () => {
    ({ twin, poolId, clientId } = await twinWith(await downEndpoint(), {
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn("claims") },
    }));
  });
  afterAll(() => twin.close());

  it("answers InitiateAuth UnexpectedLambdaException (a 400, not a 5xx)", async () => {
    await confirmedUser(twin, poolId, "dan");
    const res = await signIn(twin, clientId, "dan");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "UnexpectedLambdaException",
      message: "PreTokenGeneration invocation failed due to error ECONNREFUSED.",
    });
  });

  it("answers SignUp UnexpectedLambdaException and creates no user", async () => {
    await setTriggers(twin, poolId, { PreSignUp: arn("auto-confirm") });
    const res = await signUp(twin, clientId, "eve");
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      __type: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error ECONNREFUSED.",
    });
    expect(await userExists(twin, poolId, "eve")).toBe(false);
    // Nor is the name taken: the same sign-up succeeds once the trigger is gone.
    await setTriggers(twin, poolId, {});
    expect((await signUp(twin, clientId, "eve")).status).toBe(200);
  });
});
