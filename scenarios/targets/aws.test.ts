// The aws target's wiring without AWS: a hand-written Cognito double answers at the SDK level
// (middleware that short-circuits every command), so nothing leaves the process.
import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { commandCodes } from "../code-sources.js";
import { expiredToken } from "../failures.js";
import { passwordReset, registration } from "../flows.js";
import { runScenarios } from "../runner.js";
import { TranscriptRecorder } from "../transcript.js";
import { triggerScenarios } from "../triggers/scenarios.js";
import { liveRefusal, openAwsTarget, placeholderCredentials } from "./aws.js";

// Shaped like an AWS account's keys (the guard rails refuse anything else); they reach nothing,
// as the double answers every call inside the process.
const KEY_ID = "AKIAQQQQQQQQQQQQQQQQ";
const SECRET = "s".repeat(40);
const ENV = {
  AWS_REGION: "eu-west-1",
  COGNITO_USER_POOL_ID: "eu-west-1_LivePool1",
  COGNITO_APP_CLIENT_ID: "liveclient00000000000000001",
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET,
  COGNITO_TWIN_LIVE: "1",
};

type Input = Record<string, unknown> & {
  AuthParameters?: Record<string, string>;
  UserAttributes?: { Name: string; Value: string }[];
};
type Handler = (input: Input) => unknown;

function cognitoError(type: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name: type,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });
}

/** A small in-memory stand-in for one live pool, answering the calls the scenarios make. */
function fakeCognito(
  overrides: Record<string, Handler> = {},
  credentials: { accessKeyId: string; secretAccessKey: string } = { accessKeyId: KEY_ID, secretAccessKey: SECRET },
) {
  const calls: { op: string; input: Input }[] = [];
  const users = new Map<
    string,
    { sub: string; password: string; confirmed: boolean; name: string; resetCode?: string }
  >();
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const jwt = (claims: Record<string, unknown>) => `${b64({ alg: "RS256", kid: "fake" })}.${b64(claims)}.c2ln`;
  const iss = `https://cognito-idp.eu-west-1.amazonaws.com/${ENV.COGNITO_USER_POOL_ID}`;
  const byAccess = (token: unknown) => {
    const sub = JSON.parse(Buffer.from(String(token).split(".")[1] ?? "", "base64url").toString() || "{}").sub as
      | string
      | undefined;
    return [...users.entries()].find(([, u]) => u.sub === sub);
  };
  const delivery = (email: string) => ({
    CodeDeliveryDetails: { Destination: `${email[0]}***@e***`, DeliveryMedium: "EMAIL", AttributeName: "email" },
  });
  const handlers: Record<string, Handler> = {
    SignUp: (i) => {
      const email = String(i.Username);
      if (users.has(email))
        throw cognitoError("UsernameExistsException", "An account with the given email already exists.");
      const sub = randomUUID();
      users.set(email, {
        sub,
        password: String(i.Password),
        confirmed: false,
        name: i.UserAttributes?.find((a) => a.Name === "name")?.Value ?? "",
      });
      return { UserConfirmed: false, UserSub: sub, ...delivery(email) };
    },
    ResendConfirmationCode: (i) => delivery(String(i.Username)),
    AdminConfirmSignUp: (i) => {
      const u = users.get(String(i.Username));
      if (!u) throw cognitoError("UserNotFoundException", "User does not exist.");
      u.confirmed = true;
      return {};
    },
    InitiateAuth: (i) => {
      const email = i.AuthParameters!.USERNAME!;
      const u = users.get(email);
      if (!u) throw cognitoError("UserNotFoundException", "User does not exist.");
      if (!u.confirmed) throw cognitoError("UserNotConfirmedException", "User is not confirmed.");
      if (u.password !== i.AuthParameters!.PASSWORD)
        throw cognitoError("NotAuthorizedException", "Incorrect username or password.");
      const iat = Math.floor(Date.now() / 1000);
      const common = { sub: u.sub, iss, auth_time: iat, iat, exp: iat + 3600 };
      return {
        ChallengeParameters: {},
        AuthenticationResult: {
          AccessToken: jwt({
            ...common,
            client_id: ENV.COGNITO_APP_CLIENT_ID,
            token_use: "access",
            scope: "aws.cognito.signin.user.admin",
            username: u.sub,
          }),
          IdToken: jwt({
            ...common,
            aud: ENV.COGNITO_APP_CLIENT_ID,
            token_use: "id",
            "cognito:username": u.sub,
            email,
            name: u.name,
          }),
          RefreshToken: "opaque-refresh",
          ExpiresIn: 3600,
          TokenType: "Bearer",
        },
      };
    },
    GetUser: (i) => {
      const found = byAccess(i.AccessToken);
      if (!found) throw cognitoError("NotAuthorizedException", "Invalid Access Token");
      const [email, u] = found;
      return {
        Username: u.sub,
        UserAttributes: [
          { Name: "sub", Value: u.sub },
          { Name: "email", Value: email },
          { Name: "name", Value: u.name },
        ],
      };
    },
    ForgotPassword: (i) => {
      users.get(String(i.Username))!.resetCode = "123456";
      return delivery(String(i.Username));
    },
    ConfirmForgotPassword: (i) => {
      const u = users.get(String(i.Username))!;
      if (i.ConfirmationCode !== u.resetCode)
        throw cognitoError("CodeMismatchException", "Invalid verification code provided, please try again.");
      u.password = String(i.Password);
      return {};
    },
    AdminDeleteUser: (i) => {
      const entry = [...users.entries()].find(([email, u]) => email === i.Username || u.sub === i.Username);
      if (!entry) throw cognitoError("UserNotFoundException", "User does not exist.");
      users.delete(entry[0]);
      return {};
    },
    ...overrides,
  };
  const sdk = new CognitoIdentityProviderClient({ region: "eu-west-1", credentials });
  sdk.middlewareStack.add(
    (_next, context) => async (args) => {
      const op = (context.commandName ?? "").replace(/Command$/, "");
      const input = args.input as Input;
      calls.push({ op, input });
      const handler = handlers[op];
      if (!handler) throw new Error(`the double does not expect ${op} on live Cognito`);
      const output = (await handler(input)) as Record<string, unknown>;
      return { output: { $metadata: { httpStatusCode: 200 }, ...output }, response: {} };
    },
    // Innermost of the initialize step, so a transcript recorder still sees every call.
    { step: "initialize", priority: "low", name: "cognitoDouble" },
  );
  return { sdk, calls, users, ops: () => calls.map((c) => c.op) };
}

async function open(fake: ReturnType<typeof fakeCognito>, extra: Partial<Parameters<typeof openAwsTarget>[0]> = {}) {
  const opening = await openAwsTarget({ env: ENV, sdk: fake.sdk, ...extra });
  if (!opening.available) throw new Error(opening.reason);
  return opening.target;
}

describe("opening the aws target", () => {
  it("is unavailable without the seed's variables or credentials, and says which", async () => {
    expect(await openAwsTarget({ env: {} })).toEqual({
      available: false,
      reason:
        "--target aws reads the seed's variables: missing environment variables: AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_APP_CLIENT_ID",
    });
    const { AWS_ACCESS_KEY_ID: _a, AWS_SECRET_ACCESS_KEY: _s, ...noKeys } = ENV;
    expect(await openAwsTarget({ env: noKeys })).toEqual({
      available: false,
      reason:
        "--target aws needs AWS credentials in the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE); none found",
    });
    expect(
      (await openAwsTarget({ env: { ...noKeys, AWS_PROFILE: "sandbox" }, sdk: fakeCognito().sdk })).available,
    ).toBe(true);
  });

  it("uses the pool as configured: AWS issuer and JWKS, admin confirmation, no clock, unique prefix, COGNITO_ENDPOINT ignored", async () => {
    const opening = await openAwsTarget({
      env: { ...ENV, COGNITO_ENDPOINT: "http://127.0.0.1:9229", COGNITO_APP_CLIENT_SECRET: "s3cr3t" },
      sdk: fakeCognito().sdk,
    });
    if (!opening.available) throw new Error(opening.reason);
    const t = opening.target;
    expect(t).toMatchObject({
      name: "aws",
      region: "eu-west-1",
      poolId: ENV.COGNITO_USER_POOL_ID,
      clientId: ENV.COGNITO_APP_CLIENT_ID,
      clientSecret: "s3cr3t",
      issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${ENV.COGNITO_USER_POOL_ID}`,
      jwksUrl: `https://cognito-idp.eu-west-1.amazonaws.com/${ENV.COGNITO_USER_POOL_ID}/.well-known/jwks.json`,
      confirmation: "admin",
      emailDomain: "example.com",
    });
    expect(t.endpoint).toBeUndefined();
    expect(t.clock).toBeUndefined();
    expect(t.userPrefix).toMatch(/^cognito-twin-scn-[0-9a-f]{8}-$/);
    expect(t.description).toContain("COGNITO_ENDPOINT http://127.0.0.1:9229 ignored");
  });
});

describe("guard rails: live AWS only when meant, refused before any call (exit 3 in the command)", () => {
  const refusedWith = async (
    env: Record<string, string | undefined>,
    extra: Partial<Parameters<typeof openAwsTarget>[0]> = {},
    credentials?: { accessKeyId: string; secretAccessKey: string },
  ) => {
    const fake = fakeCognito({}, credentials);
    const opening = await openAwsTarget({ env, sdk: fake.sdk, ...extra });
    expect(fake.calls).toEqual([]);
    if (opening.available) throw new Error("opened");
    expect(opening.refused).toBe(true);
    return opening.reason;
  };
  const { COGNITO_TWIN_LIVE: _live, ...unconfirmed } = ENV;

  it("needs --live (live: true) or COGNITO_TWIN_LIVE=1", async () => {
    expect(await refusedWith(unconfirmed)).toBe(
      "--target aws calls live Cognito (pool eu-west-1_LivePool1 in eu-west-1: real users, real emails, real costs); pass --live, or set COGNITO_TWIN_LIVE=1, to confirm",
    );
    expect(await refusedWith({ ...unconfirmed, COGNITO_TWIN_LIVE: "yes" })).toMatch(/pass --live/);
    expect((await openAwsTarget({ env: unconfirmed, sdk: fakeCognito().sdk, live: true })).available).toBe(true);
    expect(
      (await openAwsTarget({ env: { ...unconfirmed, COGNITO_TWIN_LIVE: "true" }, sdk: fakeCognito().sdk })).available,
    ).toBe(true);
  });

  it("refuses a pool id whose region is not the client's", async () => {
    expect(await refusedWith({ ...ENV, AWS_REGION: "us-east-1" })).toBe(
      "pool eu-west-1_LivePool1 is in eu-west-1 but the client would call us-east-1 (AWS_REGION, AWS_DEFAULT_REGION or the profile's region): set AWS_REGION=eu-west-1",
    );
    expect(await refusedWith({ ...ENV, COGNITO_USER_POOL_ID: "LivePool1" })).toBe(
      'COGNITO_USER_POOL_ID "LivePool1" is not a pool id (<region>_<id>, like eu-west-1_AbCdEf123)',
    );
  });

  it.each([
    ["local", SECRET, 'the access key id "local" is a placeholder, as used with emulators'],
    ["test", "test", 'the access key id "test" is a placeholder, as used with emulators'],
    ["DUMMY", SECRET, 'the access key id "DUMMY" is a placeholder, as used with emulators'],
    [
      "AKIAIOSFODNN7EXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      `the access key id "AKIAIOSFODNN7EXAMPLE" or its secret is an example from AWS's documentation`,
    ],
    [
      KEY_ID,
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      `the access key id "${KEY_ID}" or its secret is an example from AWS's documentation`,
    ],
    [
      "AKIDNOTREAL",
      SECRET,
      'the access key id "AKIDNOTREAL" is not shaped like an AWS one (AKIA or ASIA and 16 more upper-case letters or digits)',
    ],
    [KEY_ID, "local", "the secret access key is a placeholder word"],
    [KEY_ID, "short-secret", "the secret access key has 12 characters, not AWS's 40"],
  ])("refuses the placeholder credentials %s / %s", async (accessKeyId, secretAccessKey, reason) => {
    expect(placeholderCredentials({ accessKeyId, secretAccessKey })).toBe(reason);
    expect(await refusedWith(ENV, {}, { accessKeyId, secretAccessKey })).toBe(
      `${reason}; --target aws needs an AWS account's credentials (use --target memory, url or container for an emulator)`,
    );
  });

  it("checks the credentials the SDK would sign with, from the environment when no client is given", async () => {
    const opening = await openAwsTarget({
      env: { ...ENV, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
    });
    expect(opening).toEqual({
      available: false,
      refused: true,
      reason:
        'the access key id "local" is a placeholder, as used with emulators; --target aws needs an AWS account\'s credentials (use --target memory, url or container for an emulator)',
    });
  });

  it("takes temporary (ASIA) keys and accepts real-looking ones", () => {
    expect(placeholderCredentials({ accessKeyId: "ASIA2345678901234567", secretAccessKey: SECRET })).toBeUndefined();
    expect(liveRefusal({ live: true, poolId: "ap-southeast-2_Abc", region: "ap-southeast-2" })).toBeUndefined();
    expect(liveRefusal({ live: true, poolId: "us-gov-west-1_Abc", region: "us-gov-west-1" })).toBeUndefined();
  });
});

describe("scenarios on the aws target (against the double)", () => {
  it("confirms sign-ups with AdminConfirmSignUp, never creates pools, and deletes its throwaway user", async () => {
    const fake = fakeCognito();
    const target = await open(fake);
    const run = await runScenarios(target, [registration]);
    expect(run.scenarios[0]!.status, JSON.stringify(run.scenarios[0]!.steps)).toBe("passed");
    expect(run.scenarios[0]!.steps.find((s) => s.name === "confirm the account")!.notes).toEqual([
      "AdminConfirmSignUp",
    ]);
    expect(fake.ops()).toEqual([
      "SignUp",
      "InitiateAuth",
      "ResendConfirmationCode",
      "AdminConfirmSignUp",
      "InitiateAuth",
      "GetUser",
      "AdminDeleteUser",
    ]);
    const email = String(fake.calls[0]!.input.Username);
    expect(email.startsWith(target.userPrefix)).toBe(true);
    expect(fake.calls.at(-1)!.input).toMatchObject({ UserPoolId: ENV.COGNITO_USER_POOL_ID });
    expect(fake.users.size).toBe(0);
  });

  it("deletes the user even when a step fails", async () => {
    const fake = fakeCognito({
      GetUser: () => {
        throw cognitoError("InternalErrorException", "Internal server error.", 500);
      },
    });
    const run = await runScenarios(await open(fake), [registration]);
    const r = run.scenarios[0]!;
    expect(r.status).toBe("failed");
    expect(r.error).toBe("GetUser failed: InternalErrorException: Internal server error.");
    expect(r.steps.at(-1)).toMatchObject({ name: "cleanup", status: "passed" });
    expect(fake.ops().at(-1)).toBe("AdminDeleteUser");
    expect(fake.users.size).toBe(0);
  });

  it("fails the scenario when cleanup cannot delete, naming what was left behind", async () => {
    const fake = fakeCognito({
      AdminDeleteUser: () => {
        throw cognitoError("AccessDeniedException", "not authorized to perform: cognito-idp:AdminDeleteUser");
      },
    });
    const run = await runScenarios(await open(fake), [registration]);
    const r = run.scenarios[0]!;
    expect(r.status).toBe("failed");
    expect(r.error).toMatch(
      /^cleanup left 1 item\(s\) behind: cognito-twin-scn-[0-9a-f]+-registration-user-[0-9a-f]+@example\.com: AccessDeniedException: not authorized/,
    );
  });

  it("skips a step that needs an emailed code when no code source is given, never passes it, and cleans up", async () => {
    const fake = fakeCognito();
    const run = await runScenarios(await open(fake), [passwordReset]);
    const r = run.scenarios[0]!;
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: 1, total: 1 });
    expect(r.reason).toBe(
      "live Cognito emails its codes and none can be read here: pass --code-source prompt or --code-source command:<cmd> to supply them",
    );
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ["set up a confirmed user", "passed"],
      ["request a reset code (POST /forgot-password)", "passed"],
      ["read the emailed code", "skipped"],
      ["cleanup", "passed"],
    ]);
    expect(fake.ops()).not.toContain("ConfirmForgotPassword");
    expect(fake.users.size).toBe(0);
  });

  it("takes reset codes from a command, which sees the user's email and the reason", async () => {
    const fake = fakeCognito();
    const script = `node -e "const ok = process.env.CODE_REASON === 'ForgotPassword' && process.env.CODE_EMAIL.endsWith('@example.com'); console.log(ok ? 'Your code is 123456' : '')"`;
    const run = await runScenarios(await open(fake, { codes: commandCodes(script) }), [passwordReset]);
    expect(run.scenarios[0]!.status, JSON.stringify(run.scenarios[0]!.steps)).toBe("passed");
    expect(fake.calls.find((c) => c.op === "ConfirmForgotPassword")!.input.ConfirmationCode).toBe("123456");
  });

  it("skips scenarios that need a clock, with the reason", async () => {
    const fake = fakeCognito();
    const run = await runScenarios(await open(fake), [expiredToken]);
    expect(run.scenarios[0]).toMatchObject({
      status: "skipped",
      reason: "the aws target cannot move time, which this scenario needs",
      steps: [],
    });
    expect(fake.calls).toEqual([]);
  });

  it("skips the trigger scenarios with the reason, calling nothing (their functions are not deployed)", async () => {
    const fake = fakeCognito();
    const run = await runScenarios(await open(fake), triggerScenarios);
    expect(run.summary).toEqual({ passed: 0, failed: 0, skipped: 8, total: 8 });
    expect(run.scenarios[0]).toMatchObject({
      status: "skipped",
      reason:
        "the trigger scenarios' functions (scenarios/triggers/handlers.mjs) are not deployed to Lambda by the aws target",
      steps: [],
    });
    expect(fake.calls).toEqual([]);
  });

  it("records a transcript of the live calls like any other target", async () => {
    const fake = fakeCognito();
    const rec = new TranscriptRecorder();
    await runScenarios(await open(fake), [registration], { transcript: rec });
    const t = rec.transcript("aws");
    expect(t.entries.map((e) => e.operation)).toEqual(fake.ops());
    expect(t.entries[1]).toMatchObject({
      operation: "InitiateAuth",
      outcome: "error",
      error: { type: "UserNotConfirmedException", message: "User is not confirmed." },
    });
  });
});
