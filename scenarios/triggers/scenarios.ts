// The Lambda trigger scenarios: one per trigger family, each in a throwaway pool of its own whose
// LambdaConfig names the functions of handlers.mjs (which the target runs: the emulator in its
// process or container, mapped as docs/scenarios.md says), deleted at the end, so the run's pool
// and client are untouched. A target that does not run the functions skips them with the reason
// (the runner's probe, `needs: ["triggers"]`). The pools are the seed guide's (email as username,
// its password policy, required email and name); their clients have no secret.
import { randomBytes } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  type ExplicitAuthFlowsType,
  InitiateAuthCommand,
  type LambdaConfigType,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from "jose";
import { CognitoAuthClient, type CognitoResult } from "../../client/cognito-client.js";
import { check, ExpectationFailed, equal, fails, ok } from "../expect.js";
import { attempt } from "../helpers.js";
import { seedGuidePool } from "../seed-pool.js";
import type { Scenario, ScenarioContext, ScenarioUser, TriggerFunctions } from "../types.js";
import { LEGACY_USERS, MAX_WRONG_ANSWERS, TOKEN_CLAIM } from "./handlers.mjs";

/** A throwaway pool with triggers, and a client of it. */
interface TriggerPool {
  readonly poolId: string;
  readonly clientId: string;
  /** The seed app's calls (SignUp, ConfirmSignUp, USER_PASSWORD_AUTH...) against this pool and client. */
  readonly client: CognitoAuthClient;
}

/** What a scenario's pool is made with. */
interface PoolSpec {
  /** Which triggers, for the step's name. */
  readonly what: string;
  readonly lambdaConfig: (fns: TriggerFunctions) => LambdaConfigType;
  readonly authFlows?: readonly ExplicitAuthFlowsType[];
}

/** The functions the runner probed; a scenario that needs them never runs without them. */
function functions(ctx: ScenarioContext): TriggerFunctions {
  if (!ctx.triggers) throw new ExpectationFailed("the runner gave no trigger functions to a scenario that needs them");
  return ctx.triggers;
}

/** Makes the pool and its client, runs `body`, and deletes the pool (and its users) whatever happened. */
async function withTriggerPool(
  ctx: ScenarioContext,
  spec: PoolSpec,
  body: (pool: TriggerPool) => Promise<void>,
): Promise<void> {
  const fns = functions(ctx);
  let poolId: string | undefined;
  let passed = false;
  try {
    const pool = await ctx.step(`make a pool with ${spec.what} and a client`, async () => {
      const made = ok(
        await attempt(() =>
          ctx.cognito.send(
            new CreateUserPoolCommand(
              seedGuidePool(`scenarios-triggers-${randomBytes(4).toString("hex")}`, {
                // Access token customisation (pre token generation V2_0) needs Essentials or Plus.
                UserPoolTier: "ESSENTIALS",
                LambdaConfig: spec.lambdaConfig(fns),
              }),
            ),
          ),
        ),
        "CreateUserPool",
      );
      poolId = made.UserPool!.Id!;
      const id = poolId;
      const client = ok(
        await attempt(() =>
          ctx.cognito.send(
            new CreateUserPoolClientCommand({
              UserPoolId: id,
              ClientName: "scenarios-triggers-client",
              GenerateSecret: false,
              ExplicitAuthFlows: [
                ...(spec.authFlows ?? ["ALLOW_USER_PASSWORD_AUTH"]),
                "ALLOW_REFRESH_TOKEN_AUTH",
              ] as ExplicitAuthFlowsType[],
            }),
          ),
        ),
        "CreateUserPoolClient",
      );
      const clientId = client.UserPoolClient!.ClientId!;
      return {
        poolId: id,
        clientId,
        client: new CognitoAuthClient({ region: ctx.region, userPoolId: id, clientId }, { sdk: ctx.cognito }),
      };
    });
    await body(pool);
    passed = true;
  } finally {
    if (poolId !== undefined) {
      const id = poolId;
      const remove = () => attempt(() => ctx.cognito.send(new DeleteUserPoolCommand({ UserPoolId: id })));
      // A step of its own after a passing body (a pool left behind fails the scenario); after a
      // failure, quietly, so the body's own error stays the scenario's.
      if (passed)
        await ctx.step("delete the trigger pool (and its users)", async () => ok(await remove(), "DeleteUserPool"));
      else await remove();
    }
  }
}

/** A fresh user whose email's local part ends with `tag` (`+auto`...), which handlers.mjs reads. */
function taggedUser(ctx: ScenarioContext, label: string, tag = ""): ScenarioUser {
  const user = ctx.newUser(label);
  const at = user.email.lastIndexOf("@");
  return { ...user, email: `${user.email.slice(0, at)}${tag}${user.email.slice(at)}` };
}

/** Signs the user up in the pool and returns its sub and whether it came back confirmed. */
async function signUp(pool: TriggerPool, user: ScenarioUser): Promise<{ sub: string; confirmed: boolean }> {
  const value = ok(await pool.client.signUp(user), "SignUp");
  user.sub = value.userSub;
  return { sub: value.userSub, confirmed: value.confirmed };
}

/** The emailed sign-up code from the target's inbox. */
function signUpCode(ctx: ScenarioContext, pool: TriggerPool, user: ScenarioUser): Promise<string> {
  return ctx.codes.code({
    poolId: pool.poolId,
    email: user.email,
    ...(user.sub ? { username: user.sub } : {}),
    reason: "SignUp",
  });
}

/** A confirmed user made by an administrator (AdminCreateUser, no message, a permanent password). */
async function adminUser(ctx: ScenarioContext, pool: TriggerPool, user: ScenarioUser): Promise<void> {
  ok(
    await attempt(() =>
      ctx.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.poolId,
          Username: user.email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: user.email },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: user.name },
          ],
        }),
      ),
    ),
    "AdminCreateUser",
  );
  ok(
    await attempt(() =>
      ctx.cognito.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool.poolId,
          Username: user.email,
          Password: user.password,
          Permanent: true,
        }),
      ),
    ),
    "AdminSetUserPassword",
  );
}

function getUser(
  ctx: ScenarioContext,
  pool: TriggerPool,
  email: string,
): Promise<CognitoResult<AdminGetUserCommandOutput>> {
  return attempt(() => ctx.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: email })));
}

function attributesOf(user: AdminGetUserCommandOutput): Record<string, string> {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name ?? "", a.Value ?? ""]));
}

/** USER_PASSWORD_AUTH that must end in tokens. */
async function signIn(pool: TriggerPool, email: string, password: string) {
  const outcome = ok(await pool.client.login(email, password), "sign-in");
  check(
    outcome.kind === "tokens",
    `sign-in answered a ${outcome.kind === "challenge" ? outcome.challengeName : ""} challenge instead of tokens`,
  );
  return outcome.tokens;
}

/** Fails unless nothing of the user was made (a refused trigger leaves nothing half-applied). */
async function absent(ctx: ScenarioContext, pool: TriggerPool, email: string): Promise<void> {
  fails(await getUser(ctx, pool, email), "UserNotFoundException");
}

const preSignUp: Scenario = {
  name: "trigger-pre-sign-up",
  description:
    "PreSignUp confirms +auto addresses (they sign in at once), leaves others to their code, and refuses +refuse ones with its message",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      { what: "PreSignUp", lambdaConfig: (fns) => ({ PreSignUp: fns.arn("scenarioPreSignUp") }) },
      async (pool) => {
        const auto = taggedUser(ctx, "auto", "+auto");
        await ctx.step("a +auto address is confirmed by PreSignUp, its email verified", async () => {
          equal((await signUp(pool, auto)).confirmed, true, "SignUp UserConfirmed");
          const user = ok(await getUser(ctx, pool, auto.email), "AdminGetUser");
          equal(user.UserStatus, "CONFIRMED", "UserStatus");
          equal(attributesOf(user).email_verified, "true", "email_verified");
        });
        await ctx.step("it signs in without a code", async () => {
          await signIn(pool, auto.email, auto.password);
        });
        await ctx.step("another address still confirms with its emailed code", async () => {
          const plain = taggedUser(ctx, "plain");
          equal((await signUp(pool, plain)).confirmed, false, "SignUp UserConfirmed");
          ok(await pool.client.confirmSignUp(plain.email, await signUpCode(ctx, pool, plain)), "ConfirmSignUp");
          await signIn(pool, plain.email, plain.password);
        });
        await ctx.step("a +refuse address is refused with the function's message, and not created", async () => {
          const refused = taggedUser(ctx, "refused", "+refuse");
          fails(
            await pool.client.signUp(refused),
            "UserLambdaValidationException",
            "PreSignUp failed with error sign-ups from +refuse addresses are closed.",
          );
          await absent(ctx, pool, refused.email);
        });
      },
    );
  },
};

const postConfirmation: Scenario = {
  name: "trigger-post-confirmation",
  description:
    "PostConfirmation runs on ConfirmSignUp: the user is confirmed and signs in; a failing function surfaces its message",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      { what: "PostConfirmation", lambdaConfig: (fns) => ({ PostConfirmation: fns.arn("scenarioPostConfirmation") }) },
      async (pool) => {
        await ctx.step("ConfirmSignUp with the emailed code: confirmed, signs in", async () => {
          const user = taggedUser(ctx, "confirmed");
          const { sub } = await signUp(pool, user);
          ok(await pool.client.confirmSignUp(user.email, await signUpCode(ctx, pool, user)), "ConfirmSignUp");
          equal(ok(await getUser(ctx, pool, user.email), "AdminGetUser").UserStatus, "CONFIRMED", "UserStatus");
          await signIn(pool, user.email, user.password);
          // The function answers nothing to see; the emulator's list of invocations shows it ran.
          const seen = await functions(ctx).invocations(pool.poolId, "PostConfirmation_ConfirmSignUp");
          if (seen === undefined) return ctx.note("the target lists no invocations (GET /_twin/triggers)");
          const mine = seen.filter((i) => i.event.userName === sub);
          equal(mine.length, 1, "PostConfirmation invocations for the user");
          equal(mine[0]!.outcome.kind, "returned", "the invocation's outcome");
          const attributes = (mine[0]!.event.request as { userAttributes?: Record<string, string> }).userAttributes;
          equal(attributes?.email, user.email, "the event's request.userAttributes.email");
        });
        await ctx.step("a failing PostConfirmation answers ConfirmSignUp with its message", async () => {
          const user = taggedUser(ctx, "fails", "+fail");
          await signUp(pool, user);
          fails(
            await pool.client.confirmSignUp(user.email, await signUpCode(ctx, pool, user)),
            "UserLambdaValidationException",
            "PostConfirmation failed with error the welcome pack could not be sent.",
          );
          const after = await getUser(ctx, pool, user.email);
          ctx.note(`the user's status afterwards: ${after.ok ? after.value.UserStatus : after.error.type}`);
        });
      },
    );
  },
};

const customMessage: Scenario = {
  name: "trigger-custom-message",
  description:
    "CustomMessage rewrites the sign-up email around the code's placeholder: the inbox shows the text, and its code confirms",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      { what: "CustomMessage", lambdaConfig: (fns) => ({ CustomMessage: fns.arn("scenarioCustomMessage") }) },
      async (pool) => {
        const user = taggedUser(ctx, "message");
        const code = await ctx.step("sign up: the code is sent", async () => {
          await signUp(pool, user);
          return signUpCode(ctx, pool, user);
        });
        await ctx.step("the inbox shows the rewritten text with the code in it", async () => {
          const messages = await functions(ctx).messages(pool.poolId, user.email);
          if (messages === undefined) return ctx.skip("the target has no /_twin/messages inbox to read the text from");
          const sent = messages.find((m) => m.code === code);
          check(sent, `the inbox holds no message with the code ${code}`);
          // The inbox's `message` and `subject`: what Cognito would have emailed.
          equal(sent.message, `Hello ${user.name}, your scenario code is ${code}.`, "the message's text");
          equal(sent.subject, "Welcome to the scenarios", "the message's subject");
        });
        await ctx.step("the code in the rewritten message confirms the account", async () => {
          ok(await pool.client.confirmSignUp(user.email, code), "ConfirmSignUp");
          await signIn(pool, user.email, user.password);
        });
      },
    );
  },
};

/** A token verified with jose against the pool's JWKS and issuer (at the target's time). */
async function verified(
  ctx: ScenarioContext,
  pool: TriggerPool,
  token: string,
  tokenUse: "id" | "access",
): Promise<JWTPayload & Record<string, unknown>> {
  // The run's pool's addresses with this pool's id: both name the pool (`.../<poolId>/...`).
  const jwks = createRemoteJWKSet(new URL(ctx.jwksUrl.replace(ctx.poolId, pool.poolId)));
  const { payload } = await jwtVerify(token, jwks, {
    issuer: ctx.issuer.replace(ctx.poolId, pool.poolId),
    ...(tokenUse === "id" ? { audience: pool.clientId } : {}),
    ...(ctx.clock ? { currentDate: new Date(ctx.clock.now()) } : {}),
  });
  equal(payload.token_use, tokenUse, "token_use");
  return payload as JWTPayload & Record<string, unknown>;
}

/** The claim handlers.mjs adds, in both tokens, and its scope in the access token. */
async function checkClaims(ctx: ScenarioContext, pool: TriggerPool, idToken: string, accessToken: string) {
  const id = await verified(ctx, pool, idToken, "id");
  equal(id[TOKEN_CLAIM.name], TOKEN_CLAIM.value, `id token ${TOKEN_CLAIM.name}`);
  const access = await verified(ctx, pool, accessToken, "access");
  equal(access[TOKEN_CLAIM.name], TOKEN_CLAIM.value, `access token ${TOKEN_CLAIM.name}`);
  const scopes = String(access.scope).split(" ");
  check(scopes.includes(TOKEN_CLAIM.scope), `access token scope ${String(access.scope)} lacks ${TOKEN_CLAIM.scope}`);
  check(scopes.includes("aws.cognito.signin.user.admin"), `access token scope ${String(access.scope)} lost its own`);
}

const preTokenGeneration: Scenario = {
  name: "trigger-pre-token-generation",
  description:
    "pre token generation V2_0 adds a claim to the id and access tokens (verified against the pool's JWKS), also on refresh; PreAuthentication refuses +blocked users",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      {
        what: "PreAuthentication and PreTokenGeneration V2_0",
        lambdaConfig: (fns) => ({
          PreAuthentication: fns.arn("scenarioPreAuthentication"),
          PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: fns.arn("scenarioPreTokenGeneration") },
        }),
      },
      async (pool) => {
        const user = taggedUser(ctx, "tokens");
        const tokens = await ctx.step("sign in: the claim is in both tokens", async () => {
          await adminUser(ctx, pool, user);
          const t = await signIn(pool, user.email, user.password);
          await checkClaims(ctx, pool, t.idToken, t.accessToken);
          return t;
        });
        await ctx.step("the refreshed tokens carry it too", async () => {
          check(tokens.refreshToken, "the sign-in gave no refresh token");
          const refreshed = ok(await pool.client.refresh(tokens.refreshToken), "REFRESH_TOKEN_AUTH");
          await checkClaims(ctx, pool, refreshed.idToken, refreshed.accessToken);
        });
        await ctx.step("PreAuthentication refuses a +blocked user with its message", async () => {
          const blocked = taggedUser(ctx, "blocked", "+blocked");
          await adminUser(ctx, pool, blocked);
          fails(
            await pool.client.login(blocked.email, blocked.password),
            "UserLambdaValidationException",
            "PreAuthentication failed with error this account is blocked.",
          );
        });
      },
    );
  },
};

const userMigration: Scenario = {
  name: "trigger-user-migration",
  description:
    "UserMigration brings a legacy user in on their first sign-in (tokens, then the user exists, confirmed); a wrong legacy password brings no one",
  needs: ["triggers"],
  async run(ctx) {
    const [legacy, other] = LEGACY_USERS;
    check(legacy && other, "handlers.mjs lists fewer than two legacy users");
    await withTriggerPool(
      ctx,
      { what: "UserMigration", lambdaConfig: (fns) => ({ UserMigration: fns.arn("scenarioUserMigration") }) },
      async (pool) => {
        await ctx.step("the legacy user is not in the pool yet", () => absent(ctx, pool, legacy.email));
        await ctx.step("the legacy user signs in with the legacy password", async () => {
          const t = await signIn(pool, legacy.email, legacy.password);
          const profile = ok(await pool.client.getUser(t.accessToken), "GetUser");
          equal(profile.attributes.email, legacy.email, "email");
          equal(profile.attributes.name, legacy.name, "name");
        });
        await ctx.step("the user now exists, confirmed, and signs in again", async () => {
          const user = ok(await getUser(ctx, pool, legacy.email), "AdminGetUser");
          equal(user.UserStatus, "CONFIRMED", "UserStatus");
          equal(attributesOf(user).email_verified, "true", "email_verified");
          await signIn(pool, legacy.email, legacy.password);
        });
        await ctx.step("a wrong legacy password is refused and migrates no one", async () => {
          const r = await pool.client.login(other.email, `${other.password}x`);
          check(!r.ok, "a wrong legacy password signed in");
          ctx.note(`refused with ${r.error.type}: ${r.error.message}`);
          await absent(ctx, pool, other.email);
        });
      },
    );
  },
};

/** The sum a CreateAuthChallenge question asks for. */
function sumAsked(parameters: Record<string, string> | undefined): number {
  const m = /^What is (\d+) \+ (\d+)\?$/.exec(parameters?.question ?? "");
  check(m, `the challenge asks no arithmetic question: ${JSON.stringify(parameters)}`);
  return Number(m[1]) + Number(m[2]);
}

const customAuth: Scenario = {
  name: "trigger-custom-auth",
  description:
    "CUSTOM_AUTH with define/create/verify challenge functions: an arithmetic question, a wrong answer gets another, the right one gets tokens",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      {
        what: "custom auth challenges",
        lambdaConfig: (fns) => ({
          DefineAuthChallenge: fns.arn("scenarioDefineAuthChallenge"),
          CreateAuthChallenge: fns.arn("scenarioCreateAuthChallenge"),
          VerifyAuthChallengeResponse: fns.arn("scenarioVerifyAuthChallenge"),
        }),
        authFlows: ["ALLOW_CUSTOM_AUTH"],
      },
      async (pool) => {
        const user = taggedUser(ctx, "custom");
        const respond = (session: string | undefined, answer: string) =>
          attempt(() =>
            ctx.cognito.send(
              new RespondToAuthChallengeCommand({
                ClientId: pool.clientId,
                ChallengeName: "CUSTOM_CHALLENGE",
                Session: session,
                ChallengeResponses: { USERNAME: user.email, ANSWER: answer },
              }),
            ),
          );
        const start = () =>
          attempt(() =>
            ctx.cognito.send(
              new InitiateAuthCommand({
                ClientId: pool.clientId,
                AuthFlow: "CUSTOM_AUTH",
                AuthParameters: { USERNAME: user.email },
              }),
            ),
          );
        const first = await ctx.step("CUSTOM_AUTH asks the question", async () => {
          await adminUser(ctx, pool, user);
          const out = ok(await start(), "InitiateAuth CUSTOM_AUTH");
          equal(out.ChallengeName, "CUSTOM_CHALLENGE", "ChallengeName");
          check(out.Session, "the challenge came without a Session");
          return { session: out.Session, sum: sumAsked(out.ChallengeParameters) };
        });
        const second = await ctx.step("a wrong answer gets another question", async () => {
          const out = ok(await respond(first.session, String(first.sum + 1)), "RespondToAuthChallenge");
          equal(out.ChallengeName, "CUSTOM_CHALLENGE", "ChallengeName");
          check(!out.AuthenticationResult, "a wrong answer was given tokens");
          check(out.Session, "the next challenge came without a Session");
          const sum = sumAsked(out.ChallengeParameters);
          check(sum !== first.sum, "the second question is the first one again");
          return { session: out.Session, sum };
        });
        await ctx.step("the right answer gets tokens", async () => {
          const out = ok(await respond(second.session, String(second.sum)), "RespondToAuthChallenge");
          check(!out.ChallengeName, `the right answer got a ${String(out.ChallengeName)} challenge instead of tokens`);
          const result: AuthenticationResultType | undefined = out.AuthenticationResult;
          check(result?.AccessToken && result.IdToken, "the right answer got no tokens");
          equal(ok(await pool.client.getUser(result.AccessToken), "GetUser").attributes.email, user.email, "email");
        });
        await ctx.step(`${MAX_WRONG_ANSWERS} wrong answers fail the sign-in`, async () => {
          let out = ok(await start(), "InitiateAuth CUSTOM_AUTH");
          for (let i = 1; i < MAX_WRONG_ANSWERS; i++) {
            out = ok(await respond(out.Session, String(sumAsked(out.ChallengeParameters) + 1)), `wrong answer ${i}`);
            equal(out.ChallengeName, "CUSTOM_CHALLENGE", `after wrong answer ${i}: ChallengeName`);
          }
          fails(await respond(out.Session, String(sumAsked(out.ChallengeParameters) + 1)), "NotAuthorizedException");
        });
      },
    );
  },
};

const postAuthentication: Scenario = {
  name: "trigger-post-authentication",
  description:
    "PostAuthentication runs after the password is proved (newDeviceUsed false, the user's attributes); a failing function leaves the sign-in without tokens",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      {
        what: "PostAuthentication",
        lambdaConfig: (fns) => ({ PostAuthentication: fns.arn("scenarioPostAuthentication") }),
      },
      async (pool) => {
        await ctx.step("sign in: tokens, and the function ran with the user's attributes", async () => {
          const user = taggedUser(ctx, "signed-in");
          await adminUser(ctx, pool, user);
          await signIn(pool, user.email, user.password);
          const seen = await functions(ctx).invocations(pool.poolId, "PostAuthentication_Authentication");
          if (seen === undefined) return ctx.note("the target lists no invocations (GET /_twin/triggers)");
          const request = (i: (typeof seen)[number]) =>
            i.event.request as { userAttributes?: Record<string, string>; newDeviceUsed?: boolean };
          const mine = seen.filter((i) => request(i).userAttributes?.email === user.email);
          equal(mine.length, 1, "PostAuthentication invocations for the user");
          equal(mine[0]!.outcome.kind, "returned", "the invocation's outcome");
          equal(request(mine[0]!).newDeviceUsed, false, "the event's request.newDeviceUsed");
        });
        await ctx.step("a failing PostAuthentication answers the sign-in with its message, no tokens", async () => {
          const audited = taggedUser(ctx, "audited", "+audit");
          await adminUser(ctx, pool, audited);
          fails(
            await pool.client.login(audited.email, audited.password),
            "UserLambdaValidationException",
            "PostAuthentication failed with error the sign-in could not be audited.",
          );
        });
      },
    );
  },
};

/** A KMS key ARN for KMSKeyID (the emulator encrypts with its own key instead; docs/triggers.md). */
const SENDER_KMS_KEY = "arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-000000000000";

/** The sender's invocation for the user, once it is listed (senders run after the operation answers). */
async function senderInvocation(ctx: ScenarioContext, pool: TriggerPool, email: string) {
  for (let tries = 0; tries < 200; tries++) {
    const seen = await functions(ctx).invocations(pool.poolId, "CustomEmailSender_SignUp");
    if (seen === undefined) return undefined;
    const mine = seen.find(
      (i) => (i.event.request as { userAttributes?: Record<string, string> }).userAttributes?.email === email,
    );
    if (mine) return mine;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new ExpectationFailed("the custom email sender was not invoked for the sign-up within 5 seconds");
}

const customEmailSender: Scenario = {
  name: "trigger-custom-email-sender",
  description:
    "CustomEmailSender takes the sign-up code encrypted (AWS Encryption SDK); decrypted with the key the emulator exposes, it confirms the account",
  needs: ["triggers"],
  async run(ctx) {
    await withTriggerPool(
      ctx,
      {
        what: "CustomEmailSender",
        lambdaConfig: (fns) => ({
          CustomEmailSender: { LambdaVersion: "V1_0", LambdaArn: fns.arn("scenarioCustomEmailSender") },
          KMSKeyID: SENDER_KMS_KEY,
        }),
      },
      async (pool) => {
        const user = taggedUser(ctx, "sender");
        await ctx.step("sign up: the code goes to the function, not by email", async () => {
          equal((await signUp(pool, user)).confirmed, false, "SignUp UserConfirmed");
        });
        const code = await ctx.step("decrypt the event's code with the emulator's sender key", async () => {
          const invocation = await senderInvocation(ctx, pool, user.email);
          if (invocation === undefined) return ctx.skip("the target lists no invocations (GET /_twin/triggers)");
          equal(invocation.outcome.kind, "returned", "the invocation's outcome (the function checks the event)");
          const key = await functions(ctx).senderKey();
          if (key === undefined) return ctx.skip("the target exposes no sender key (GET /_twin/triggers/sender-key)");
          const { buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } = await import(
            "@aws-crypto/client-node"
          );
          const keyring = new RawAesKeyringNode({
            keyNamespace: key.keyNamespace,
            keyName: key.keyName,
            unencryptedMasterKey: new Uint8Array(Buffer.from(key.key, "base64")),
            wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
          });
          const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
          const encrypted = (invocation.event.request as { code: string }).code;
          const { plaintext } = await decrypt(keyring, Buffer.from(encrypted, "base64"));
          const decrypted = plaintext.toString("utf8");
          check(/^\d{6}$/.test(decrypted), `the decrypted code ${decrypted} is not six digits`);
          return decrypted;
        });
        if (code === undefined) return;
        await ctx.step("the decrypted code confirms the account, which signs in", async () => {
          ok(await pool.client.confirmSignUp(user.email, code), "ConfirmSignUp");
          await signIn(pool, user.email, user.password);
        });
      },
    );
  },
};

/** The trigger scenarios, in run order. */
export const triggerScenarios: readonly Scenario[] = [
  preSignUp,
  postConfirmation,
  customMessage,
  preTokenGeneration,
  postAuthentication,
  customEmailSender,
  userMigration,
  customAuth,
];
