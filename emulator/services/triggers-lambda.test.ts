// Triggers reached through AWS Lambda's Invoke API (`--lambda-endpoint`), against a small Lambda
// stand-in on 127.0.0.1 speaking `POST /2015-03-31/functions/{FunctionName}/invocations` as SAM
// local and LocalStack do: what the emulator sends, and what each kind of answer comes to, down
// to the Cognito error a trigger call answers (runTrigger over a pool made through createApp).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, fakeSigV4 } from "../../test-support/twin.js";
import { type CreateAppOptions, createApp, type TwinApp } from "../app.js";
import { ManualClock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { runTrigger } from "../domain/triggers/run.js";
import { Triggers } from "./triggers.js";

const ACCOUNT = "123456789012";
const arn = (name: string) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${name}`;

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let lambda: Server;
let endpoint: string;
const seen: SeenRequest[] = [];

/** Answers by function name, as a Lambda with these functions deployed would. */
function answer(name: string, body: string, res: import("node:http").ServerResponse): void {
  switch (name) {
    case "echo":
      res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" }).end(body);
      return;
    case "fails":
      res
        .writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" })
        .end(JSON.stringify({ errorType: "Error", errorMessage: "Sign-ups are closed", trace: ["Error: ..."] }));
      return;
    case "not-json":
      res.writeHead(200, { "content-type": "application/json" }).end("<html>not an event</html>");
      return;
    case "too-large":
      // 2.2 million three-byte characters: under 6 MB as string length, over it in UTF-8 bytes.
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ text: "€".repeat(2_200_000) }));
      return;
    case "just-under":
      // A JSON string of exactly 6 MB (6291456 bytes, the quotes included): the largest answer Lambda lets through.
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify("x".repeat(6 * 1024 * 1024 - 2)));
      return;
    case "missing":
      res
        .writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" })
        .end(JSON.stringify({ Type: "User", message: `Function not found: ${arn("missing")}` }));
      return;
    case "hangs":
      // Never answers: the emulator's wait runs out first.
      return;
    default:
      res.writeHead(500).end();
  }
}

beforeAll(async () => {
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url!.split("?")[0]!);
      answer(m ? decodeURIComponent(m[1]!) : "", body, res);
    });
  });
  await new Promise<void>((done) => lambda.listen(0, "127.0.0.1", done));
  endpoint = `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`;
});

afterAll(async () => {
  lambda.closeAllConnections();
  await new Promise((done) => lambda.close(done));
});

function silentLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (l) => lines.push(l), error: (l) => lines.push(l), debug: () => undefined };
}

const EVENT = { version: "1", triggerSource: "PreSignUp_SignUp", request: { userAttributes: { email: "a@b.c" } } };

describe("the Lambda Invoke API", () => {
  it("sends a signed RequestResponse invocation of the function's name with the event as its body", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    seen.length = 0;
    const outcome = await triggers.invoke(arn("echo"), EVENT, "PreSignUp_SignUp");
    expect(outcome).toEqual({ kind: "returned", payload: EVENT });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe("POST");
    // By name: SAM local finds functions only by name, and LocalStack's live in its own account.
    expect(request!.url).toBe("/2015-03-31/functions/echo/invocations");
    expect(request!.headers["x-amz-invocation-type"]).toBe("RequestResponse");
    expect(request!.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=cognito-twin\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
    expect(JSON.parse(request!.body)).toEqual(EVENT);
    expect(triggers.invocations.at(-1)).toMatchObject({ via: "lambda", functionArn: arn("echo") });
  });

  it("sends the version or alias of a qualified ARN as Qualifier", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    seen.length = 0;
    expect(await triggers.invoke(`${arn("echo")}:live`, EVENT, "PreSignUp_SignUp")).toMatchObject({
      kind: "returned",
    });
    expect(seen[0]!.url).toBe("/2015-03-31/functions/echo/invocations?Qualifier=live");
  });

  it("reads a function error from X-Amz-Function-Error and its {errorType, errorMessage} body", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    expect(await triggers.invoke(arn("fails"), EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Error",
      errorMessage: "Sign-ups are closed",
    });
  });

  it("reports an answer that is not JSON", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    expect(await triggers.invoke(arn("not-json"), EVENT, "PreSignUp_SignUp")).toEqual({ kind: "invalid-json" });
  });

  it("refuses a response over Lambda's 6 MB, counted in UTF-8 bytes", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    // As the in-process route does (triggers.test.ts): Lambda reports the size as a function error.
    expect(await triggers.invoke(arn("too-large"), EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "function-error",
      errorType: "Function.ResponseSizeTooLarge",
      errorMessage: "Response payload size exceeded maximum allowed payload size (6291456 bytes).",
    });
    // 6 MB itself is allowed: the bound is "over", not "at".
    const atLimit = await triggers.invoke(arn("just-under"), EVENT, "PreSignUp_SignUp");
    expect(atLimit).toMatchObject({ kind: "returned" });
    expect((atLimit as { payload: string }).payload).toHaveLength(6 * 1024 * 1024 - 2);
  });

  it("keeps the name of Lambda's own refusal (x-amzn-ErrorType)", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, log: silentLog() });
    expect(await triggers.invoke(arn("missing"), EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "not-invocable",
      reason: "ResourceNotFoundException",
    });
  });

  it("times out a function that never answers", async () => {
    const triggers = new Triggers({ lambdaEndpoint: endpoint, timeoutMs: 150, log: silentLog() });
    const started = performance.now();
    expect(await triggers.invoke(arn("hangs"), EVENT, "PreSignUp_SignUp")).toEqual({ kind: "timeout" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("reports an endpoint that is down as a connection error", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const log = silentLog();
    const triggers = new Triggers({ lambdaEndpoint: `http://127.0.0.1:${port}`, log });
    expect(await triggers.invoke(arn("echo"), EVENT, "PreSignUp_SignUp")).toEqual({
      kind: "not-invocable",
      reason: "ECONNREFUSED",
    });
    expect(log.lines.at(-1)).toContain("could not be invoked (ECONNREFUSED)");
  });
});

describe("a pool's trigger through the Lambda endpoint (createApp)", () => {
  let twin: TwinApp;
  let poolId: string;
  const options: CreateAppOptions = { clock: new ManualClock(Date.UTC(2026, 0, 1)), triggerTimeoutMs: 150 };

  beforeAll(async () => {
    twin = await createApp({ logLevel: "silent", lambdaEndpoint: endpoint, region: "eu-west-1" }, options);
    const created = await call(
      twin,
      "CreateUserPool",
      {
        PoolName: "lambda-endpoint",
        LambdaConfig: { PreSignUp: arn("echo"), PostConfirmation: arn("fails"), CustomMessage: arn("hangs") },
      },
      { authorization: fakeSigV4("eu-west-1") },
    );
    expect(created.status).toBe(200);
    poolId = (created.body.UserPool as { Id: string }).Id;
  });
  afterAll(() => twin.close());

  const ctx = () => ({ triggers: twin.triggers, userAgent: "aws-sdk-js/3.654.0 ua/2.1 lang/js md/nodejs#20.19.0" });
  const pool = () => twin.services.store.getPool(poolId)!;

  it("sends Cognito's event and answers the returned response", async () => {
    seen.length = 0;
    const response = await runTrigger(ctx(), pool(), {
      name: "PreSignUp",
      triggerSource: "PreSignUp_SignUp",
      userName: "ann",
      clientId: "client123",
      request: { userAttributes: { email: "ann@example.com" }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
    expect(response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
    expect(JSON.parse(seen[0]!.body)).toEqual({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "eu-west-1",
      userPoolId: poolId,
      userName: "ann",
      callerContext: { awsSdkVersion: "aws-sdk-js-3.654.0", clientId: "client123" },
      request: { userAttributes: { email: "ann@example.com" }, validationData: null },
      response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
    });
  });

  it("answers a function error as UserLambdaValidationException and a timeout as UnexpectedLambdaException", async () => {
    const base = { userName: "ann", clientId: undefined, request: {}, response: {} };
    await expect(
      runTrigger(ctx(), pool(), { ...base, name: "PostConfirmation", triggerSource: "PostConfirmation_ConfirmSignUp" }),
    ).rejects.toMatchObject({
      type: "UserLambdaValidationException",
      message: "PostConfirmation failed with error Sign-ups are closed.",
    });
    await expect(
      runTrigger(ctx(), pool(), { ...base, name: "CustomMessage", triggerSource: "CustomMessage_SignUp" }),
    ).rejects.toMatchObject({
      type: "UnexpectedLambdaException",
      message: "CustomMessage invocation failed due to error Socket timeout while invoking Lambda function.",
    });
  });
});
