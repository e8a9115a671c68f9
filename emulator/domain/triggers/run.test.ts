// Running a pool's trigger: the fields every event carries, which function LambdaConfig names,
// each outcome of the invocation as the Cognito error it answers, and the response readers.
import type { LambdaConfigType } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { CognitoError } from "../../core/errors.js";
import { type TriggerHandler, Triggers } from "../../services/triggers.js";
import type { StoredPool } from "../../store/types.js";
import {
  attributeMap,
  readBoolean,
  readObject,
  readString,
  readStringList,
  readStringMap,
  runTrigger,
  type TriggerCall,
  triggerArn,
  triggerEvent,
} from "./run.js";

const ARN = "arn:aws:lambda:eu-west-2:123456789012:function:pre-signup";

/** A pool record with just what running a trigger reads. */
function pool(LambdaConfig?: LambdaConfigType): StoredPool {
  return { id: "eu-west-2_AbC123xyz", pool: { Id: "eu-west-2_AbC123xyz", LambdaConfig } } as unknown as StoredPool;
}

const CALL: TriggerCall = {
  name: "PreSignUp",
  triggerSource: "PreSignUp_SignUp",
  userName: "ann",
  clientId: "client123",
  request: { userAttributes: { email: "ann@example.com" }, validationData: null },
  response: { autoConfirmUser: false },
};

const SDK_V3 =
  "aws-sdk-js/3.654.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.19.0 api/cognito-identity-provider#3.654.0";
const BOTO3 = "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1.0 lang/python#3.11.2 Botocore/1.34.69";

/** Runs CALL against a handler; answers what runTrigger returned or threw. */
async function run(handler: TriggerHandler, call: TriggerCall = CALL, timeoutMs?: number) {
  const triggers = new Triggers({ log: { info() {}, error() {}, debug() {} }, timeoutMs });
  triggers.set("pre-signup", handler);
  try {
    return { response: await runTrigger({ triggers, userAgent: SDK_V3 }, pool({ PreSignUp: ARN }), call) };
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return { error: { type: e.type, message: e.message } };
  }
}

describe("triggerEvent", () => {
  it("carries Cognito's common fields in Cognito's order, the region read from the pool id", () => {
    const event = triggerEvent({ userAgent: SDK_V3 }, pool(), CALL);
    expect(event).toEqual({
      version: "1",
      triggerSource: "PreSignUp_SignUp",
      region: "eu-west-2",
      userPoolId: "eu-west-2_AbC123xyz",
      userName: "ann",
      callerContext: { awsSdkVersion: "aws-sdk-js-3.654.0", clientId: "client123" },
      request: CALL.request,
      response: CALL.response,
    });
    expect(Object.keys(event)).toEqual([
      "version",
      "triggerSource",
      "region",
      "userPoolId",
      "userName",
      "callerContext",
      "request",
      "response",
    ]);
  });

  it("sends CLIENT_ID_NOT_APPLICABLE without an app client, and the version a trigger asks for", () => {
    const event = triggerEvent({ userAgent: SDK_V3 }, pool(), { ...CALL, clientId: undefined, version: "2" });
    expect(event.callerContext.clientId).toBe("CLIENT_ID_NOT_APPLICABLE");
    expect(event.version).toBe("2");
  });

  it("names the caller's SDK from its User-Agent: JS v3, boto3, another SDK, or unknown", () => {
    const sdk = (userAgent: string | undefined) =>
      triggerEvent({ userAgent }, pool(), CALL).callerContext.awsSdkVersion;
    expect(sdk(SDK_V3)).toBe("aws-sdk-js-3.654.0");
    expect(sdk(BOTO3)).toBe("aws-sdk-python-1.34.69");
    expect(sdk("aws-sdk-java/2.25.1 Linux/6.1 OpenJDK_64-Bit_Server_VM/17")).toBe("aws-sdk-java-2.25.1");
    expect(sdk("Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")).toBe("aws-sdk-unknown-unknown");
    expect(sdk("aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64")).toBe("aws-sdk-unknown-unknown");
    expect(sdk(undefined)).toBe("aws-sdk-unknown-unknown");
  });
});

describe("triggerArn", () => {
  it("reads the function of each trigger, the versioned configs by their LambdaArn", () => {
    const p = pool({
      PreSignUp: ARN,
      PreTokenGeneration: `${ARN}-legacy`,
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: `${ARN}-v2` },
      CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: `${ARN}-email` },
      CustomSMSSender: { LambdaVersion: "V1_0", LambdaArn: `${ARN}-sms` },
    });
    expect(triggerArn(p, "PreSignUp")).toBe(ARN);
    expect(triggerArn(p, "PreTokenGeneration")).toBe(`${ARN}-v2`);
    expect(triggerArn(p, "CustomEmailSender")).toBe(`${ARN}-email`);
    expect(triggerArn(p, "CustomSMSSender")).toBe(`${ARN}-sms`);
    expect(triggerArn(p, "PostConfirmation")).toBeUndefined();
    expect(triggerArn(pool({ PreTokenGeneration: ARN }), "PreTokenGeneration")).toBe(ARN);
    expect(triggerArn(pool(), "PreSignUp")).toBeUndefined();
  });
});

describe("runTrigger", () => {
  it("does nothing for a pool without that trigger", async () => {
    const triggers = new Triggers({ log: { info() {}, error() {}, debug() {} } });
    expect(await runTrigger({ triggers, userAgent: undefined }, pool({}), CALL)).toBeUndefined();
    expect(triggers.invocations).toEqual([]);
  });

  it("invokes the pool's function with the event and answers the returned response", async () => {
    let received: unknown;
    const outcome = await run(async (event) => {
      received = structuredClone(event);
      event.response.autoConfirmUser = true;
      return event;
    });
    expect(outcome).toEqual({ response: { autoConfirmUser: true } });
    expect(received).toEqual(triggerEvent({ userAgent: SDK_V3 }, pool(), CALL));
  });

  it("answers an empty response when the returned event has none (or null)", async () => {
    expect(await run(async () => ({ version: "1" }))).toEqual({ response: {} });
    expect(await run(async (event) => ({ ...event, response: null }))).toEqual({ response: {} });
  });

  it("answers a function error as UserLambdaValidationException with the function's message", async () => {
    expect(
      await run(() => {
        throw new Error("Sign-ups from example.org are closed");
      }),
    ).toEqual({
      error: {
        type: "UserLambdaValidationException",
        message: "PreSignUp failed with error Sign-ups from example.org are closed.",
      },
    });
    expect(
      await run(() => {
        throw "plain string";
      }),
    ).toEqual({
      error: { type: "UserLambdaValidationException", message: "PreSignUp failed with error plain string." },
    });
  });

  it("answers a timeout as UnexpectedLambdaException with Cognito's socket timeout", async () => {
    expect(await run(() => new Promise(() => undefined), CALL, 20)).toEqual({
      error: {
        type: "UnexpectedLambdaException",
        message: "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function.",
      },
    });
  });

  it("answers a function nothing runs as UnexpectedLambdaException with AccessDeniedException", async () => {
    const triggers = new Triggers({ log: { info() {}, error() {}, debug() {} } });
    await expect(runTrigger({ triggers, userAgent: undefined }, pool({ PreSignUp: ARN }), CALL)).rejects.toMatchObject({
      type: "UnexpectedLambdaException",
      message: "PreSignUp invocation failed due to error AccessDeniedException.",
    });
  });

  it("answers no event at all (null, a string, a list, not JSON) as InvalidLambdaResponseException: Invalid JSON", async () => {
    const invalidJson = {
      error: { type: "InvalidLambdaResponseException", message: "Invalid lambda function output : Invalid JSON" },
    };
    expect(await run(async () => undefined)).toEqual(invalidJson);
    expect(await run(async () => "ok")).toEqual(invalidJson);
    expect(await run(async () => [1, 2])).toEqual(invalidJson);
    expect(await run(() => () => 1)).toEqual(invalidJson);
  });

  it("answers a response that is not an object as InvalidLambdaResponseException: Unrecognizable", async () => {
    expect(await run(async (event) => ({ ...event, response: "yes" }))).toEqual({
      error: { type: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" },
    });
  });
});

describe("response readers", () => {
  const unrecognizable = { type: "InvalidLambdaResponseException", message: "Unrecognizable lambda output" };
  const response = {
    flag: true,
    text: "hi",
    list: ["a", "b"],
    map: { a: "1" },
    obj: { nested: 1 },
    nothing: null,
  };

  it("read each type, with null and absent members as undefined", () => {
    expect(readBoolean(response, "flag")).toBe(true);
    expect(readString(response, "text")).toBe("hi");
    expect(readStringList(response, "list")).toEqual(["a", "b"]);
    expect(readStringMap(response, "map")).toEqual({ a: "1" });
    expect(readObject(response, "obj")).toEqual({ nested: 1 });
    for (const read of [readBoolean, readString, readStringList, readStringMap, readObject]) {
      expect(read(response, "nothing")).toBeUndefined();
      expect(read(response, "absent")).toBeUndefined();
    }
  });

  it("refuse a member of the wrong type as Cognito does", () => {
    const refused = (read: () => unknown) => {
      try {
        read();
      } catch (e) {
        return { type: (e as CognitoError).type, message: (e as CognitoError).message };
      }
      return "accepted";
    };
    expect(refused(() => readBoolean(response, "text"))).toEqual(unrecognizable);
    expect(refused(() => readBoolean({ b: "true" }, "b"))).toEqual(unrecognizable);
    expect(refused(() => readString(response, "flag"))).toEqual(unrecognizable);
    expect(refused(() => readStringList(response, "text"))).toEqual(unrecognizable);
    expect(refused(() => readStringList({ l: ["a", 1] }, "l"))).toEqual(unrecognizable);
    expect(refused(() => readStringMap(response, "list"))).toEqual(unrecognizable);
    expect(refused(() => readStringMap({ m: { a: 1 } }, "m"))).toEqual(unrecognizable);
    expect(refused(() => readObject(response, "list"))).toEqual(unrecognizable);
  });
});

describe("attributeMap", () => {
  it("turns an attribute list into the name-to-value map events carry", () => {
    expect(
      attributeMap([
        { Name: "sub", Value: "8d6a" },
        { Name: "email", Value: "ann@example.com" },
        { Name: "nickname" },
        { Value: "nameless" },
      ]),
    ).toEqual({ sub: "8d6a", email: "ann@example.com", nickname: "" });
  });
});
