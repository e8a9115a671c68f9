// Cognito failing on purpose (docs/faults.md): the seed app must answer its own clean errors when
// sign-in is throttled, failing or cut off, and the AWS SDK's retries must get past throttling.
// Emulators only (they take fault rules); each rule names the run's client, and the runner
// removes them when the scenario ends.
import { CognitoIdentityProviderClient, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { ConfiguredRetryStrategy } from "@smithy/core/retry";
import { check, equal, errorType, ok, status } from "./expect.js";
import { postForm, postJson, setCookie } from "./helpers.js";
import type { FaultControl, Scenario, ScenarioContext } from "./types.js";

function faultsOf(ctx: ScenarioContext): FaultControl {
  // The runner skips these scenarios on targets without faults; this is for the type.
  if (!ctx.faults) ctx.skip("the target takes no fault rules");
  return ctx.faults;
}

const throttledSignIn: Scenario = {
  name: "throttled-sign-in",
  description:
    "sign-in while Cognito throttles, fails (HTTP 503) or drops the connection: the app answers its own clean error, then signs in",
  needs: ["faults"],
  async run(ctx) {
    const faults = faultsOf(ctx);
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const signIn = { operation: "InitiateAuth", clientId: ctx.clientId, count: 1 };

    await ctx.step("InitiateAuth throttled: POST /login answers 429 TooManyRequestsException", async () => {
      const id = await faults.add({ ...signIn, action: "throttle" });
      const res = await postJson(ctx, "/login", { email: user.email, password: user.password });
      check(!setCookie(res, "session"), "a throttled login set a session cookie");
      const body = await status(res, 429, "POST /login");
      equal(errorType(body), "TooManyRequestsException", "error.type");
      equal((body.error as { message?: string }).message, "Rate exceeded", "error.message");
      equal(await faults.fired(id), 1, "times the rule fired");
    });

    await ctx.step("the same from a form post", async () => {
      await faults.add({ ...signIn, action: "throttle" });
      const body = await status(
        await postForm(ctx, "/login", { email: user.email, password: user.password }),
        429,
        "POST /login (form)",
      );
      equal(errorType(body), "TooManyRequestsException", "error.type");
    });

    await ctx.step("AWS's front door answers 503: POST /login answers 502, no details", async () => {
      await faults.add({ ...signIn, action: "http503" });
      const body = await status(
        await postJson(ctx, "/login", { email: user.email, password: user.password }),
        502,
        "POST /login",
      );
      equal(errorType(body), "upstream_error", "error.type");
    });

    await ctx.step("InternalErrorException: POST /login answers 502, no details", async () => {
      await faults.add({ ...signIn, action: "error", error: "InternalErrorException" });
      const body = await status(
        await postJson(ctx, "/login", { email: user.email, password: user.password }),
        502,
        "POST /login",
      );
      equal(errorType(body), "upstream_error", "error.type");
    });

    await ctx.step("the connection is dropped: POST /login answers 502, no details", async () => {
      await faults.add({ ...signIn, action: "drop" });
      const body = await status(
        await postJson(ctx, "/login", { email: user.email, password: user.password }),
        502,
        "POST /login",
      );
      equal(errorType(body), "upstream_error", "error.type");
    });

    await ctx.step("the rules are spent: POST /login signs in", async () => {
      const res = await postJson(ctx, "/login", { email: user.email, password: user.password });
      check(setCookie(res, "session")?.value, "POST /login set no session cookie");
      await status(res, 200, "POST /login");
    });
  },
};

/** The backoff between the retrying client's attempts. */
const RETRY_BACKOFF_MS = 20;

const sdkRetries: Scenario = {
  name: "sdk-retries-throttling",
  description: "the AWS SDK's standard retry strategy (3 attempts) gets past two throttled InitiateAuth calls",
  needs: ["faults"],
  async run(ctx) {
    const faults = faultsOf(ctx);
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    // An SDK client as an app makes one, retries on; the scenarios' own client tries once. The
    // SDK's standard strategy (its retry quota, throttling recognised as retryable) with a short
    // backoff: the standard one waits up to 500 ms x 2^attempt for a throttle, which made this
    // scenario a third of the suite's time, and the wait is not what it checks.
    const retrying = new CognitoIdentityProviderClient({
      region: ctx.region,
      endpoint: ctx.cognito.config.endpoint,
      credentials: ctx.cognito.config.credentials,
      retryStrategy: new ConfiguredRetryStrategy(3, () => RETRY_BACKOFF_MS),
    });
    try {
      const id = await ctx.step("two throttles are set", () =>
        faults.add({ operation: "InitiateAuth", clientId: ctx.clientId, action: "throttle", count: 2 }),
      );
      await ctx.step("InitiateAuth succeeds on the third attempt", async () => {
        const out = await retrying.send(
          new InitiateAuthCommand({
            AuthFlow: "USER_PASSWORD_AUTH",
            ClientId: ctx.clientId,
            AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
          }),
        );
        check(out.AuthenticationResult?.AccessToken, "no access token");
        equal(out.$metadata.attempts, 3, "attempts");
        ctx.note(`${out.$metadata.totalRetryDelay ?? 0} ms of backoff`);
      });
      await ctx.step("both throttles fired", async () => equal(await faults.fired(id), 2, "times the rule fired"));
      await ctx.step("the scenarios' client (one attempt) now signs in at once", async () => {
        ok(await ctx.client.login(user.email, user.password), "sign-in");
      });
    } finally {
      retrying.destroy();
    }
  },
};

/** The fault scenarios, in run order. */
export const faultScenarios: readonly Scenario[] = [throttledSignIn, sdkRetries];
