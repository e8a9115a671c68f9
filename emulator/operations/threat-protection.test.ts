// Threat protection end to end through SDK v3 over a real socket (the caller is 127.0.0.1):
// UserPoolAddOns and the Plus plan, auth events of sign-ins (AdminListUserAuthEvents), feedback,
// risk configurations, blocked and skipped IP ranges, compromised passwords, account takeover
// actions for a declared risk level, and the events surviving a restart.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateAuthEventFeedbackCommand,
  type AuthEventType,
  ChangePasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DescribeRiskConfigurationCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetRiskConfigurationCommand,
  SignUpCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type {
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../../test-support/twin.js";

let t: TestTwin;
beforeAll(async () => {
  t = await startTwin();
});
afterAll(() => t.close());

const PASSWORD = "Passw0rd!long";

async function expectError(promise: Promise<unknown>, name: string, message?: string | RegExp) {
  const err = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  expect(err, `expected ${name}, got success`).toBeDefined();
  expect(err!.name).toBe(name);
  expect(err!.$metadata?.httpStatusCode).toBe(400);
  if (typeof message === "string") expect(err!.message).toBe(message);
  else if (message) expect(err!.message).toMatch(message);
}

interface Setup {
  poolId: string;
  clientId: string;
}

/** A Plus pool with threat protection in `mode`, a password client, and user `alice`. */
async function setup(mode: "AUDIT" | "ENFORCED" = "ENFORCED", extra: Partial<CreateUserPoolCommandInput> = {}) {
  const { UserPool } = await t.cognito.send(
    new CreateUserPoolCommand({
      PoolName: "threat",
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: mode },
      ...extra,
    }),
  );
  const poolId = UserPool!.Id!;
  const { UserPoolClient } = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  const clientId = UserPoolClient!.ClientId!;
  await t.cognito.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: "alice", MessageAction: "SUPPRESS" }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "alice", Password: PASSWORD, Permanent: true }),
  );
  return { poolId, clientId };
}

const signIn = (s: Setup, password = PASSWORD, username = "alice") =>
  t.cognito.send(
    new InitiateAuthCommand({
      ClientId: s.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );

async function events(s: Setup, username = "alice"): Promise<AuthEventType[]> {
  const { AuthEvents } = await t.cognito.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: s.poolId, Username: username }),
  );
  return AuthEvents ?? [];
}

async function twinPost(path: string, body: unknown) {
  const res = await fetch(`${t.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("UserPoolAddOns and the Plus plan", () => {
  it("refuses threat protection below the Plus plan, on create and on update", async () => {
    await expectError(
      t.cognito.send(new CreateUserPoolCommand({ PoolName: "x", UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } })),
      "FeatureUnavailableInTierException",
      /Threat protection/,
    );
    const { UserPool } = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "x",
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      }),
    );
    expect(UserPool!.UserPoolAddOns).toEqual({ AdvancedSecurityMode: "ENFORCED" });
    await expectError(
      t.cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: UserPool!.Id!,
          UserPoolTier: "ESSENTIALS",
          UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
        }),
      ),
      "FeatureUnavailableInTierException",
    );
    // OFF is allowed on any plan.
    await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "x",
        UserPoolTier: "LITE",
        UserPoolAddOns: { AdvancedSecurityMode: "OFF" },
      }),
    );
  });

  it("answers UserPoolAddOnNotEnabledException where threat protection is off, and records nothing", async () => {
    const { UserPool } = await t.cognito.send(new CreateUserPoolCommand({ PoolName: "off", UserPoolTier: "PLUS" }));
    const poolId = UserPool!.Id!;
    await expectError(
      t.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "nobody" })),
      "UserPoolAddOnNotEnabledException",
    );
    await expectError(
      t.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })),
      "UserPoolAddOnNotEnabledException",
    );
    await expectError(
      t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: poolId })),
      "UserPoolAddOnNotEnabledException",
    );
  });
});

describe("auth events", () => {
  it("records failed and successful sign-ins, newest first, with the caller's address", async () => {
    const s = await setup();
    await expectError(signIn(s, "wrong-password"), "NotAuthorizedException");
    const ok = await signIn(s);
    expect(ok.AuthenticationResult?.AccessToken).toBeDefined();
    const [pass, fail] = await events(s);
    expect(pass).toMatchObject({
      EventType: "SignIn",
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
      EventContextData: { IpAddress: "127.0.0.1" },
    });
    expect(pass!.CreationDate).toBeInstanceOf(Date);
    expect(fail).toMatchObject({
      EventResponse: "Fail",
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Failure" }],
    });
    expect(pass!.EventId).not.toBe(fail!.EventId);
    // A sub names the user too.
    const { UserAttributes } = await t.cognito.send(
      new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "alice" }),
    );
    const sub = UserAttributes!.find((a) => a.Name === "sub")!.Value!;
    expect(await events(s, sub)).toHaveLength(2);
  });

  it("pages with MaxResults and NextToken", async () => {
    const s = await setup();
    for (let i = 0; i < 3; i++) await signIn(s);
    const first = await t.cognito.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: s.poolId, Username: "alice", MaxResults: 2 }),
    );
    expect(first.AuthEvents).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await t.cognito.send(
      new AdminListUserAuthEventsCommand({
        UserPoolId: s.poolId,
        Username: "alice",
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.AuthEvents).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    await expectError(
      t.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: s.poolId, Username: "nobody" })),
      "UserNotFoundException",
    );
  });

  it("keeps a sign-in that answers a challenge as one event: InProgress, then Pass", async () => {
    const s = await setup();
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "bob",
        TemporaryPassword: "Temp0rary!pass",
        MessageAction: "SUPPRESS",
      }),
    );
    const started = await signIn(s, "Temp0rary!pass", "bob");
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect((await events(s, "bob")).map((e) => e.EventResponse)).toEqual(["InProgress"]);
    await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: s.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "bob", NEW_PASSWORD: PASSWORD },
      }),
    );
    expect((await events(s, "bob")).map((e) => e.EventResponse)).toEqual(["Pass"]);
  });

  it("records nothing while threat protection is off, and starts once it is on", async () => {
    const s = await setup();
    await t.cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: s.poolId, UserPoolAddOns: { AdvancedSecurityMode: "OFF" } }),
    );
    await signIn(s);
    await t.cognito.send(
      new UpdateUserPoolCommand({ UserPoolId: s.poolId, UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" } }),
    );
    expect(await events(s)).toEqual([]);
    await signIn(s);
    expect(await events(s)).toHaveLength(1);
  });
});

describe("feedback", () => {
  it("AdminUpdateAuthEventFeedback sets the feedback as Admin", async () => {
    const s = await setup();
    await signIn(s);
    const [event] = await events(s);
    await t.cognito.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: s.poolId,
        Username: "alice",
        EventId: event!.EventId!,
        FeedbackValue: "Invalid",
      }),
    );
    const [after] = await events(s);
    expect(after!.EventFeedback).toMatchObject({ FeedbackValue: "Invalid", Provider: "Admin" });
    expect(after!.EventFeedback!.FeedbackDate).toBeInstanceOf(Date);
    await expectError(
      t.cognito.send(
        new AdminUpdateAuthEventFeedbackCommand({
          UserPoolId: s.poolId,
          Username: "alice",
          EventId: "no-such-event",
          FeedbackValue: "Valid",
        }),
      ),
      "ResourceNotFoundException",
    );
  });

  it("UpdateAuthEventFeedback takes the event's FeedbackToken, and refuses any other", async () => {
    const s = await setup();
    await signIn(s);
    await signIn(s);
    const res = await fetch(`${t.url}/_twin/auth-events?userPoolId=${s.poolId}&username=alice`);
    const { authEvents } = (await res.json()) as { authEvents: { EventId: string; FeedbackToken: string }[] };
    const [newest, older] = authEvents;
    const send = (eventId: string, token: string) =>
      t.cognito.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: s.poolId,
          Username: "alice",
          EventId: eventId,
          FeedbackToken: token,
          FeedbackValue: "Valid",
        }),
      );
    // Another event's token does not do.
    await expectError(send(newest!.EventId, older!.FeedbackToken), "NotAuthorizedException");
    await send(newest!.EventId, newest!.FeedbackToken);
    const [after] = await events(s);
    expect(after!.EventFeedback).toMatchObject({ FeedbackValue: "Valid", Provider: "User" });
    await expectError(
      t.cognito.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: s.poolId,
          Username: "nobody",
          EventId: newest!.EventId,
          FeedbackToken: newest!.FeedbackToken,
          FeedbackValue: "Valid",
        }),
      ),
      "UserNotFoundException",
    );
  });
});

describe("risk configuration", () => {
  it("sets and describes the pool's and a client's, a client falling back to the pool's", async () => {
    const s = await setup();
    const { UserPoolClient: other } = await t.cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: s.poolId, ClientName: "other" }),
    );
    const poolLevel = {
      CompromisedCredentialsRiskConfiguration: {
        EventFilter: ["SIGN_IN" as const],
        Actions: { EventAction: "BLOCK" as const },
      },
    };
    const set = await t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ...poolLevel }));
    expect(set.RiskConfiguration).toMatchObject({ UserPoolId: s.poolId, ...poolLevel });
    expect(set.RiskConfiguration!.ClientId).toBeUndefined();
    expect(set.RiskConfiguration!.LastModifiedDate).toBeInstanceOf(Date);
    const clientLevel = { RiskExceptionConfiguration: { SkippedIPRangeList: ["10.0.0.0/8"] } };
    await t.cognito.send(
      new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: s.clientId, ...clientLevel }),
    );
    const own = await t.cognito.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: s.clientId }),
    );
    expect(own.RiskConfiguration).toMatchObject({ UserPoolId: s.poolId, ClientId: s.clientId, ...clientLevel });
    expect(own.RiskConfiguration!.CompromisedCredentialsRiskConfiguration).toBeUndefined();
    const inherited = await t.cognito.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: other!.ClientId! }),
    );
    expect(inherited.RiskConfiguration).toMatchObject({ UserPoolId: s.poolId, ...poolLevel });
    expect(inherited.RiskConfiguration!.ClientId).toBeUndefined();
    // Only the ids: the client inherits the pool's again.
    await t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: s.clientId }));
    const reset = await t.cognito.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: s.clientId }),
    );
    expect(reset.RiskConfiguration).toMatchObject(poolLevel);
  });

  it("refuses an unknown client, a range that is not CIDR, and Notify without a NotifyConfiguration", async () => {
    const s = await setup();
    await expectError(
      t.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: s.poolId, ClientId: "nosuchclient" })),
      "ResourceNotFoundException",
    );
    for (const range of ["10.0.0.1", "10.0.0.0/33", "banana/8", "::1/129"]) {
      await expectError(
        t.cognito.send(
          new SetRiskConfigurationCommand({
            UserPoolId: s.poolId,
            RiskExceptionConfiguration: { BlockedIPRangeList: [range] },
          }),
        ),
        "InvalidParameterException",
      );
    }
    await expectError(
      t.cognito.send(
        new SetRiskConfigurationCommand({
          UserPoolId: s.poolId,
          AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: "BLOCK", Notify: true } } },
        }),
      ),
      "InvalidParameterException",
    );
  });
});

describe("acting on risk", () => {
  const block127 = { RiskExceptionConfiguration: { BlockedIPRangeList: ["127.0.0.0/8"] } };

  it("refuses a sign-in from a blocked range in ENFORCED mode, and records it", async () => {
    const s = await setup("ENFORCED");
    await t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ...block127 }));
    await expectError(signIn(s), "NotAuthorizedException", "Unable to login because of security reasons.");
    const [event] = await events(s);
    expect(event).toMatchObject({ EventResponse: "Fail", EventRisk: { RiskDecision: "Block" } });
    // A client's own configuration without the range lets the same caller in.
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        ClientId: s.clientId,
        RiskExceptionConfiguration: { SkippedIPRangeList: ["127.0.0.1/32"] },
      }),
    );
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    const [skipped] = await events(s);
    expect(skipped).toMatchObject({ EventResponse: "Pass", EventRisk: { RiskDecision: "NoRisk" } });
    expect(skipped!.EventRisk!.RiskLevel).toBeUndefined();
  });

  it("refuses a blocked range before looking at the password", async () => {
    const s = await setup("ENFORCED");
    await t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ...block127 }));
    await expectError(
      signIn(s, "wrong-password"),
      "NotAuthorizedException",
      "Unable to login because of security reasons.",
    );
    await expectError(
      signIn(s, PASSWORD, "nobody"),
      "NotAuthorizedException",
      "Unable to login because of security reasons.",
    );
    const [event] = await events(s);
    expect(event).toMatchObject({
      EventResponse: "Fail",
      EventRisk: { RiskDecision: "Block" },
      ChallengeResponses: [],
    });
  });

  it("checks passwords being set: SignUp and ChangePassword", async () => {
    const s = await setup("ENFORCED");
    await twinPost("/_twin/compromised-passwords", { userPoolId: s.poolId, passwords: ["Leaked0ne!pass"] });
    // Without a configuration the detection is recorded, nothing is blocked.
    await t.cognito.send(new SignUpCommand({ ClientId: s.clientId, Username: "carol", Password: "Leaked0ne!pass" }));
    expect((await events(s, "carol"))[0]).toMatchObject({
      EventType: "SignUp",
      EventResponse: "Pass",
      EventRisk: { CompromisedCredentialsDetected: true, RiskDecision: "NoRisk" },
    });
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" } },
      }),
    );
    await expectError(
      t.cognito.send(new SignUpCommand({ ClientId: s.clientId, Username: "dave", Password: "Leaked0ne!pass" })),
      "InvalidPasswordException",
    );
    const token = (await signIn(s)).AuthenticationResult!.AccessToken!;
    await expectError(
      t.cognito.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: PASSWORD,
          ProposedPassword: "Leaked0ne!pass",
        }),
      ),
      "InvalidPasswordException",
    );
    expect((await events(s))[0]).toMatchObject({
      EventType: "PasswordChange",
      EventResponse: "Fail",
      EventRisk: { CompromisedCredentialsDetected: true, RiskDecision: "Block" },
    });
    // The password stayed as it was.
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    // A filter without PASSWORD_CHANGE leaves password changes alone.
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        CompromisedCredentialsRiskConfiguration: { EventFilter: ["SIGN_UP"], Actions: { EventAction: "BLOCK" } },
      }),
    );
    await t.cognito.send(
      new ChangePasswordCommand({ AccessToken: token, PreviousPassword: PASSWORD, ProposedPassword: "Leaked0ne!pass" }),
    );
    expect((await events(s))[0]).toMatchObject({ EventType: "PasswordChange", EventResponse: "Pass" });
  });

  it("AUDIT records a blocked range but never blocks", async () => {
    const s = await setup("AUDIT");
    await t.cognito.send(new SetRiskConfigurationCommand({ UserPoolId: s.poolId, ...block127 }));
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    const [event] = await events(s);
    expect(event).toMatchObject({ EventResponse: "Pass", EventRisk: { RiskDecision: "NoRisk" } });
  });

  it("blocks a compromised password (the user must reset it), or with NO_ACTION only records it", async () => {
    const s = await setup("ENFORCED");
    const declared = await twinPost("/_twin/compromised-passwords", { userPoolId: s.poolId, passwords: [PASSWORD] });
    expect(declared.status).toBe(200);
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "NO_ACTION" } },
      }),
    );
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    expect((await events(s))[0]!.EventRisk).toMatchObject({
      CompromisedCredentialsDetected: true,
      RiskDecision: "NoRisk",
    });
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        CompromisedCredentialsRiskConfiguration: { EventFilter: ["SIGN_IN"], Actions: { EventAction: "BLOCK" } },
      }),
    );
    await expectError(signIn(s), "PasswordResetRequiredException");
    expect((await events(s))[0]).toMatchObject({
      EventResponse: "Fail",
      EventRisk: { CompromisedCredentialsDetected: true, RiskDecision: "Block" },
    });
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: s.poolId, Username: "alice" }));
    expect(user.UserStatus).toBe("RESET_REQUIRED");
    // A wrong password is not the user's credential: it is answered as a wrong password.
    await expectError(signIn(s, "Another0ne!pass"), "NotAuthorizedException");
  });

  it("applies the account-takeover action of the risk level a test declares", async () => {
    const s = await setup("ENFORCED");
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        AccountTakeoverRiskConfiguration: {
          Actions: {
            LowAction: { EventAction: "NO_ACTION", Notify: false },
            MediumAction: { EventAction: "MFA_IF_CONFIGURED", Notify: false },
            HighAction: { EventAction: "BLOCK", Notify: false },
          },
        },
      }),
    );
    expect((await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: "High" })).status).toBe(
      200,
    );
    await expectError(signIn(s), "NotAuthorizedException", "Unable to login because of security reasons.");
    expect((await events(s))[0]!.EventRisk).toMatchObject({ RiskDecision: "Block", RiskLevel: "High" });
    await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: "Medium" });
    // MFA if configured: alice has no MFA, so the sign-in goes on.
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    expect((await events(s))[0]!.EventRisk).toMatchObject({ RiskDecision: "AccountTakeover", RiskLevel: "Medium" });
    await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: null });
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    const [calm] = await events(s);
    expect(calm!.EventRisk).toMatchObject({ RiskDecision: "NoRisk" });
    expect(calm!.EventRisk!.RiskLevel).toBeUndefined();
  });

  it("emails the user a notice with one-click feedback links when the action says Notify", async () => {
    const s = await setup("ENFORCED");
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: s.poolId,
        Username: "erin",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "erin@example.com" }],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: s.poolId, Username: "erin", Password: PASSWORD, Permanent: true }),
    );
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        AccountTakeoverRiskConfiguration: {
          NotifyConfiguration: {
            SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            BlockEmail: {
              Subject: "Blocked",
              TextBody: "Blocked {username} from {ip-address}: {one-click-link-invalid}",
            },
          },
          Actions: { HighAction: { EventAction: "BLOCK", Notify: true } },
        },
      }),
    );
    await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "erin", riskLevel: "High" });
    await expectError(signIn(s, PASSWORD, "erin"), "NotAuthorizedException");
    const inbox = await fetch(`${t.url}/_twin/messages?userPoolId=${s.poolId}&username=erin`);
    const { messages } = (await inbox.json()) as { messages: { reason: string; subject: string; message: string }[] };
    const notice = messages.find((m) => m.reason === "RiskNotification")!;
    expect(notice.subject).toBe("Blocked");
    expect(notice.message).toMatch(
      /^Blocked erin from 127\.0\.0\.1: http:\/\/127\.0\.0\.1:\d+\/_twin\/auth-event-feedback\?/,
    );
    const link = notice.message.slice(notice.message.indexOf("http"));
    expect((await fetch(link)).status).toBe(200);
    const [event] = await events(s, "erin");
    expect(event!.EventFeedback).toMatchObject({ FeedbackValue: "Invalid", Provider: "User" });
    const tampered = link.replace(/feedbackToken=[^&]+/, "feedbackToken=abc");
    expect((await fetch(tampered)).status).toBe(403);
  });

  it("MFA_REQUIRED blocks a user no MFA challenge would reach", async () => {
    const s = await setup("ENFORCED");
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        AccountTakeoverRiskConfiguration: { Actions: { LowAction: { EventAction: "MFA_REQUIRED", Notify: false } } },
      }),
    );
    // Undeclared, no risk is detected and no action applies.
    expect((await signIn(s)).AuthenticationResult).toBeDefined();
    await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: "Low" });
    await expectError(
      t.cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: s.poolId,
          ClientId: s.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alice", PASSWORD },
        }),
      ),
      "NotAuthorizedException",
      "Unable to login because of security reasons.",
    );
  });

  it("checks the test controls' input", async () => {
    const s = await setup();
    expect((await twinPost("/_twin/compromised-passwords", { userPoolId: s.poolId })).status).toBe(400);
    expect((await twinPost("/_twin/compromised-passwords", { userPoolId: "nope_x", passwords: ["a"] })).status).toBe(
      404,
    );
    expect(
      (await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: "Extreme" })).status,
    ).toBe(400);
    expect((await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "nobody", riskLevel: "Low" })).status).toBe(
      404,
    );
    const bad = await fetch(`${t.url}/_twin/risk`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "not json",
    });
    expect(bad.status).toBe(400);
  });
});

describe("custom authentication", () => {
  const DEFINE = "arn:aws:lambda:us-east-1:123456789012:function:threat-define";
  const CREATE = "arn:aws:lambda:us-east-1:123456789012:function:threat-create";
  const VERIFY = "arn:aws:lambda:us-east-1:123456789012:function:threat-verify";

  /** One custom challenge (the answer "42"), then tokens. */
  beforeAll(() => {
    t.twin.triggers.set(DEFINE, (e: DefineAuthChallengeTriggerEvent) => {
      const last = e.request.session.at(-1);
      e.response.issueTokens = last?.challengeResult === true;
      e.response.failAuthentication = last !== undefined && !last.challengeResult;
      if (!last) e.response.challengeName = "CUSTOM_CHALLENGE";
      return e;
    });
    t.twin.triggers.set(CREATE, (e: CreateAuthChallengeTriggerEvent) => {
      e.response.privateChallengeParameters = { answer: "42" };
      return e;
    });
    t.twin.triggers.set(VERIFY, (e: VerifyAuthChallengeResponseTriggerEvent) => {
      e.response.answerCorrect = e.request.challengeAnswer === "42";
      return e;
    });
  });

  async function customSignIn(s: Setup) {
    const started = await t.cognito.send(
      new InitiateAuthCommand({ ClientId: s.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "alice" } }),
    );
    return t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: s.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: started.Session,
        ChallengeResponses: { USERNAME: "alice", ANSWER: "42" },
      }),
    );
  }

  async function customSetup(addOns: CreateUserPoolCommandInput["UserPoolAddOns"]): Promise<Setup> {
    const s = await setup("ENFORCED", {
      UserPoolAddOns: addOns,
      LambdaConfig: { DefineAuthChallenge: DEFINE, CreateAuthChallenge: CREATE, VerifyAuthChallengeResponse: VERIFY },
    });
    const { UserPoolClient } = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: s.poolId,
        ClientName: "custom",
        ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH"],
      }),
    );
    return { poolId: s.poolId, clientId: UserPoolClient!.ClientId! };
  }

  it("leaves CUSTOM_AUTH unprotected without a CustomAuthMode", async () => {
    const s = await customSetup({ AdvancedSecurityMode: "ENFORCED" });
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        RiskExceptionConfiguration: { BlockedIPRangeList: ["127.0.0.0/8"] },
      }),
    );
    expect((await customSignIn(s)).AuthenticationResult).toBeDefined();
    expect(await events(s)).toEqual([]);
  });

  it("protects CUSTOM_AUTH by its CustomAuthMode", async () => {
    const s = await customSetup({
      AdvancedSecurityMode: "AUDIT",
      AdvancedSecurityAdditionalFlows: { CustomAuthMode: "ENFORCED" },
    });
    await twinPost("/_twin/risk", { userPoolId: s.poolId, username: "alice", riskLevel: "High" });
    expect((await customSignIn(s)).AuthenticationResult).toBeDefined();
    expect((await events(s))[0]).toMatchObject({ EventResponse: "Pass", ChallengeResponses: [] });
    await t.cognito.send(
      new SetRiskConfigurationCommand({
        UserPoolId: s.poolId,
        AccountTakeoverRiskConfiguration: { Actions: { HighAction: { EventAction: "BLOCK", Notify: false } } },
      }),
    );
    await expectError(customSignIn(s), "NotAuthorizedException", "Unable to login because of security reasons.");
  });
});

describe("persistence", () => {
  it("keeps auth events and risk configurations across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "twin-threat-"));
    try {
      const a = await startTwin({ dataDir: dir });
      const { UserPool } = await a.cognito.send(
        new CreateUserPoolCommand({
          PoolName: "p",
          UserPoolTier: "PLUS",
          UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
        }),
      );
      const poolId = UserPool!.Id!;
      const { UserPoolClient } = await a.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId,
          ClientName: "c",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
        }),
      );
      await a.cognito.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "u", MessageAction: "SUPPRESS" }),
      );
      await a.cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: "u", Password: PASSWORD, Permanent: true }),
      );
      await a.cognito.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24"] },
        }),
      );
      await a.cognito.send(
        new InitiateAuthCommand({
          ClientId: UserPoolClient!.ClientId!,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "u", PASSWORD },
        }),
      );
      const before = await a.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "u" }));
      await a.close();
      const b = await startTwin({ dataDir: dir });
      try {
        const after = await b.cognito.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "u" }));
        expect(after.AuthEvents).toEqual(before.AuthEvents);
        const config = await b.cognito.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
        expect(config.RiskConfiguration!.RiskExceptionConfiguration).toEqual({ BlockedIPRangeList: ["192.0.2.0/24"] });
      } finally {
        await b.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
