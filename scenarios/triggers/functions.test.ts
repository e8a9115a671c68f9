// The trigger scenarios' plumbing without an emulator: the mapping matches the module and the
// emulator's own --trigger parser, and the functions decide what the scenarios expect of them.
import { join } from "node:path";
import type {
  CreateAuthChallengeTriggerEvent,
  CustomMessageTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  UserMigrationTriggerEvent,
} from "aws-lambda";
import { describe, expect, it } from "vitest";
import { readConfig, type TwinConfig } from "../../emulator/config.js";
import {
  functionArn,
  HANDLERS_FILE,
  TRIGGER_FUNCTIONS,
  triggerFlagValue,
  triggerMap,
  triggerMapHelp,
} from "./functions.js";
import * as handlers from "./handlers.mjs";

const common = {
  version: "1",
  region: "us-east-1",
  userPoolId: "us-east-1_Scenario1",
  userName: "3b1d7c1e-0000-4000-8000-000000000001",
  callerContext: { awsSdkVersion: "aws-sdk-js-3.0.0", clientId: "client" },
};

function preSignUp(email: string): PreSignUpTriggerEvent {
  return {
    ...common,
    triggerSource: "PreSignUp_SignUp",
    request: { userAttributes: { email, name: "N" } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

describe("the mapping", () => {
  it("names exactly the functions handlers.mjs exports", () => {
    const exported = Object.entries(handlers)
      .filter(([, v]) => typeof v === "function")
      .map(([k]) => k);
    expect([...TRIGGER_FUNCTIONS].sort()).toEqual(exported.sort());
  });

  it("reads back through the emulator's --trigger and COGNITO_TWIN_TRIGGERS as the map createApp takes", () => {
    const flag = readConfig(["--trigger", triggerFlagValue()], {}) as TwinConfig;
    expect(flag.triggers).toEqual(triggerMap());
    const env = readConfig([], { COGNITO_TWIN_TRIGGERS: triggerFlagValue("/triggers/h.mjs") }) as TwinConfig;
    expect(env.triggers?.scenarioPreSignUp).toBe("/triggers/h.mjs#scenarioPreSignUp");
    expect(triggerMap().scenarioCustomMessage).toBe(`${HANDLERS_FILE}#scenarioCustomMessage`);
  });

  it("prints the flag with the path from the working directory, or the absolute one outside it", () => {
    const root = join(HANDLERS_FILE, "..", "..", "..");
    const inside = triggerMapHelp(root);
    expect(inside).toContain(
      "node dist/emulator/cli.js --trigger 'scenarioProbe=./scenarios/triggers/handlers.mjs#scenarioProbe,",
    );
    expect(inside).toContain("COGNITO_TWIN_TRIGGERS='scenarioProbe=./scenarios/triggers/handlers.mjs#scenarioProbe,");
    expect(triggerMapHelp("/somewhere/else")).toContain(`--trigger 'scenarioProbe=${HANDLERS_FILE}#scenarioProbe,`);
  });

  it("names the functions by ARN in the target's region", () => {
    expect(functionArn("eu-west-1", "scenarioPreSignUp")).toBe(
      "arn:aws:lambda:eu-west-1:000000000000:function:scenarioPreSignUp",
    );
  });
});

describe("the functions", () => {
  it("the probe refuses with its message", () => {
    expect(() => handlers.scenarioProbe()).toThrow(handlers.PROBE_MESSAGE);
  });

  it("pre sign-up confirms +auto addresses, refuses +refuse ones, leaves the others", () => {
    expect(handlers.scenarioPreSignUp(preSignUp("a+auto@example.com")).response).toEqual({
      autoConfirmUser: true,
      autoVerifyEmail: true,
      autoVerifyPhone: false,
    });
    expect(handlers.scenarioPreSignUp(preSignUp("a@example.com")).response.autoConfirmUser).toBe(false);
    expect(() => handlers.scenarioPreSignUp(preSignUp("a+refuse@example.com"))).toThrow(
      "sign-ups from +refuse addresses are closed",
    );
    // `+auto` in the domain is not in the local part.
    expect(handlers.scenarioPreSignUp(preSignUp("a@x+auto.example.com")).response.autoConfirmUser).toBe(false);
  });

  it("custom message keeps the code's placeholder in the text it writes", () => {
    const event: CustomMessageTriggerEvent = {
      ...common,
      triggerSource: "CustomMessage_SignUp",
      request: {
        userAttributes: { name: "Ada" },
        codeParameter: "{####}",
        linkParameter: "{##Click##}",
        usernameParameter: null,
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    };
    expect(handlers.scenarioCustomMessage(event).response).toEqual({
      smsMessage: null,
      emailSubject: "Welcome to the scenarios",
      emailMessage: "Hello Ada, your scenario code is {####}.",
    });
  });

  it("pre token generation insists on a version 2 event and adds the claim and scope", () => {
    const event: PreTokenGenerationV2TriggerEvent = {
      ...common,
      version: "2",
      triggerSource: "TokenGeneration_Authentication",
      request: { userAttributes: {}, groupConfiguration: {} },
      response: { claimsAndScopeOverrideDetails: {} },
    };
    const details = handlers.scenarioPreTokenGeneration(event).response.claimsAndScopeOverrideDetails;
    expect(details.idTokenGeneration?.claimsToAddOrOverride).toEqual({ scenario_tier: "gold" });
    expect(details.accessTokenGeneration?.scopesToAdd).toEqual(["scenario/read"]);
    expect(() => handlers.scenarioPreTokenGeneration({ ...event, version: "1" })).toThrow(/version 1/);
  });

  it("user migration knows its legacy users and their passwords", () => {
    const [ada] = handlers.LEGACY_USERS;
    const event = (userName: string, password: string, source = "UserMigration_Authentication") =>
      ({
        ...common,
        userName,
        triggerSource: source,
        request: { password, validationData: {} },
        response: {},
      }) as UserMigrationTriggerEvent;
    expect(handlers.scenarioUserMigration(event(ada!.email, ada!.password)).response).toEqual({
      userAttributes: { email: ada!.email, email_verified: "true", name: ada!.name },
      finalUserStatus: "CONFIRMED",
      messageAction: "SUPPRESS",
    });
    expect(() => handlers.scenarioUserMigration(event(ada!.email, "nope"))).toThrow("wrong legacy password");
    expect(() => handlers.scenarioUserMigration(event("nobody@example.com", "x"))).toThrow("no such legacy user");
    expect(
      handlers.scenarioUserMigration(event(ada!.email, "", "UserMigration_ForgotPassword")).response.finalUserStatus,
    ).toBe("CONFIRMED");
  });

  it("custom auth: a new question per attempt, tokens after a right answer, failure after three wrong ones", () => {
    const session = (...results: boolean[]) =>
      results.map((challengeResult) => ({ challengeName: "CUSTOM_CHALLENGE" as const, challengeResult }));
    const define = (s: ReturnType<typeof session>) =>
      handlers.scenarioDefineAuthChallenge({
        ...common,
        triggerSource: "DefineAuthChallenge_Authentication",
        request: { userAttributes: {}, session: s },
        response: { challengeName: "", issueTokens: false, failAuthentication: false },
      } as DefineAuthChallengeTriggerEvent).response;
    expect(define(session())).toMatchObject({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false });
    expect(define(session(false))).toMatchObject({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false });
    expect(define(session(false, true))).toMatchObject({ issueTokens: true, failAuthentication: false });
    expect(define(session(false, false, false))).toMatchObject({ issueTokens: false, failAuthentication: true });

    const create = (asked: number) =>
      handlers.scenarioCreateAuthChallenge({
        ...common,
        triggerSource: "CreateAuthChallenge_Authentication",
        request: {
          userAttributes: {},
          challengeName: "CUSTOM_CHALLENGE",
          session: session(...Array(asked).fill(false)),
        },
        response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: "" },
      } as CreateAuthChallengeTriggerEvent).response;
    expect(create(0)).toEqual({
      publicChallengeParameters: { question: "What is 7 + 5?" },
      privateChallengeParameters: { answer: "12" },
      challengeMetadata: "QUESTION-1",
    });
    expect(create(1).publicChallengeParameters).toEqual({ question: "What is 8 + 7?" });

    const verify = (answer: string) =>
      handlers.scenarioVerifyAuthChallenge({
        ...common,
        triggerSource: "VerifyAuthChallengeResponse_Authentication",
        request: { userAttributes: {}, privateChallengeParameters: { answer: "12" }, challengeAnswer: answer },
        response: { answerCorrect: false },
      }).response.answerCorrect;
    expect([verify("12"), verify(" 12 "), verify("13")]).toEqual([true, true, false]);
  });
});
