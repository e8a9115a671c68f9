// What users get wrong, and what an attacker tries: each must fail with Cognito's own error,
// and the app must turn it into the right status.
import { DescribeUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { check, equal, errorType, fails, ok, status } from "./expect.js";
import { claims, get, postJson, tamper, wrongCode } from "./helpers.js";
import type { Scenario } from "./types.js";

const INCORRECT = "Incorrect username or password.";

const duplicateAccount: Scenario = {
  name: "duplicate-account",
  description: "signing up twice with one email: UsernameExistsException, 400 from the app",
  async run(ctx) {
    const user = ctx.newUser();
    await ctx.step("sign up", () => ctx.signUp(user));
    await ctx.step("sign up again with the same email", async () => {
      fails(
        await ctx.client.signUp({ ...user, password: `${user.password}2` }),
        "UsernameExistsException",
        "An account with the given email already exists.",
      );
    });
    await ctx.step("POST /register with the same email: 400", async () => {
      const body = await status(
        await postJson(ctx, "/register", { email: user.email, password: user.password, name: user.name }),
        400,
        "POST /register",
      );
      equal(errorType(body), "UsernameExistsException", "error.type");
    });
  },
};

const weakPassword: Scenario = {
  name: "weak-password",
  description: "passwords against the seed's policy (8+, upper, lower, digit, symbol): InvalidPasswordException",
  async run(ctx) {
    const user = ctx.newUser();
    const cases: [string, string, RegExp][] = [
      ["too short", "Aa1!aaa", /^Password did not conform with policy: Password not long enough/],
      ["no uppercase", "lowercase1!", /^Password did not conform with policy: Password must have uppercase characters/],
      ["no symbol", "NoSymbols123", /^Password did not conform with policy: Password must have symbol characters/],
    ];
    for (const [label, password, message] of cases) {
      await ctx.step(`${label}: refused`, async () => {
        fails(await ctx.client.signUp({ ...user, password }), "InvalidPasswordException", message);
      });
    }
    await ctx.step("POST /register with a weak password: 400", async () => {
      const body = await status(
        await postJson(ctx, "/register", { email: user.email, password: "weak", name: user.name }),
        400,
        "POST /register",
      );
      equal(errorType(body), "InvalidPasswordException", "error.type");
    });
    await ctx.step("no half-made account: the email signs up with a strong password", () => ctx.signUp(user));
  },
};

const unconfirmedLogin: Scenario = {
  name: "unconfirmed-login",
  description: "signing in before confirming: UserNotConfirmedException (even with a wrong password), 401 from the app",
  async run(ctx) {
    const user = ctx.newUser();
    await ctx.step("sign up without confirming", () => ctx.signUp(user));
    await ctx.step("sign-in is refused as unconfirmed", async () => {
      fails(await ctx.client.login(user.email, user.password), "UserNotConfirmedException", "User is not confirmed.");
    });
    await ctx.step("POST /login: 401 UserNotConfirmedException", async () => {
      const body = await status(
        await postJson(ctx, "/login", { email: user.email, password: user.password }),
        401,
        "POST /login",
      );
      equal(errorType(body), "UserNotConfirmedException", "error.type");
    });
  },
};

export const wrongPassword: Scenario = {
  name: "wrong-password",
  description: "a wrong password and an unknown user (the answer depends on PreventUserExistenceErrors)",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    await ctx.step("a wrong password is refused", async () => {
      fails(await ctx.client.login(user.email, `${user.password}wrong`), "NotAuthorizedException", INCORRECT);
    });
    await ctx.step("POST /login with a wrong password: 401", async () => {
      const res = await postJson(ctx, "/login", { email: user.email, password: `${user.password}wrong` });
      const body = await status(res, 401, "POST /login");
      equal(errorType(body), "NotAuthorizedException", "error.type");
      check(!res.headers.getSetCookie().some((c) => c.startsWith("session=")), "a failed login set a session cookie");
    });
    const hides = await ctx.step("read the client's PreventUserExistenceErrors", async () => {
      const d = await ctx.cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: ctx.poolId, ClientId: ctx.clientId }),
      );
      const setting = d.UserPoolClient?.PreventUserExistenceErrors ?? "LEGACY";
      ctx.note(`PreventUserExistenceErrors ${setting}`);
      return setting === "ENABLED";
    });
    await ctx.step("an unknown user is refused", async () => {
      const unknown = ctx.newUser("unknown");
      const r = await ctx.client.login(unknown.email, unknown.password);
      if (hides) fails(r, "NotAuthorizedException", INCORRECT);
      else fails(r, "UserNotFoundException", "User does not exist.");
    });
  },
};

const tamperedToken: Scenario = {
  name: "tampered-token",
  description: "an access token with an edited payload or a stripped signature: refused by Cognito and by the app",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const tokens = await ctx.step("sign in", async () => {
      const o = ok(await ctx.client.login(user.email, user.password), "sign-in");
      check(o.kind === "tokens", "sign-in answered a challenge");
      return o.tokens;
    });
    const forged = tamper(tokens.accessToken, (p) => ({ ...p, username: "admin", "cognito:groups": ["admin"] }));
    await ctx.step("GetUser refuses an edited payload", async () => {
      fails(await ctx.client.getUser(forged), "NotAuthorizedException", "Invalid Access Token");
    });
    await ctx.step("the app refuses an edited payload: 401 invalid_token", async () => {
      for (const path of ["/protected", "/admin"]) {
        const res = await get(ctx, path, { bearer: forged });
        const body = await status(res, 401, `GET ${path}`);
        equal(errorType(body), "invalid_token", "error.type");
        check(
          res.headers.get("www-authenticate")?.includes('error="invalid_token"'),
          `WWW-Authenticate: ${res.headers.get("www-authenticate")}`,
        );
      }
    });
    await ctx.step("the app refuses an unsigned token (alg none)", async () => {
      const header = Buffer.from(JSON.stringify({ alg: "none", kid: "x" })).toString("base64url");
      const payload = tokens.accessToken.split(".")[1];
      await status(await get(ctx, "/protected", { bearer: `${header}.${payload}.` }), 401, "GET /protected (alg none)");
    });
    await ctx.step("the app refuses a tampered session cookie", async () => {
      await status(await get(ctx, "/protected", { cookie: `session=${forged}` }), 401, "GET /protected (cookie)");
    });
  },
};

export const expiredToken: Scenario = {
  name: "expired-token",
  description: "an access token past its hour: refused by Cognito and by the app; the refresh token still works",
  needs: ["clock"],
  async run(ctx) {
    const clock = ctx.clock!;
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const tokens = await ctx.step("sign in", async () => {
      const o = ok(await ctx.client.login(user.email, user.password), "sign-in");
      check(o.kind === "tokens", "sign-in answered a challenge");
      return o.tokens;
    });
    await ctx.step("move the clock past the token's expiry", async () => {
      const exp = claims(tokens.accessToken).exp!;
      await clock.advance(Math.max(1, Math.ceil(exp - clock.now() / 1000)) + 1);
    });
    await ctx.step("GetUser refuses it as expired", async () => {
      fails(await ctx.client.getUser(tokens.accessToken), "NotAuthorizedException", "Access Token has expired");
    });
    await ctx.step("the app refuses it: 401 invalid_token", async () => {
      const res = await get(ctx, "/protected", { bearer: tokens.accessToken });
      await status(res, 401, "GET /protected");
      check(
        /error="invalid_token".*expired/.test(res.headers.get("www-authenticate") ?? ""),
        `WWW-Authenticate: ${res.headers.get("www-authenticate")}`,
      );
    });
    await ctx.step("the refresh token still gets a working access token", async () => {
      const t = ok(await ctx.client.refresh(tokens.refreshToken!, user.sub), "REFRESH_TOKEN_AUTH");
      await status(await get(ctx, "/protected", { bearer: t.accessToken }), 200, "GET /protected with the new token");
    });
  },
};

const wrongResetCode: Scenario = {
  name: "wrong-reset-code",
  description: "ConfirmForgotPassword with a wrong code: CodeMismatchException; the password is unchanged",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    await ctx.step("request a reset code", async () => {
      ok(await ctx.client.forgotPassword(user.email), "ForgotPassword");
    });
    const code = await ctx.step("pick a wrong code", () =>
      wrongCode(ctx, { email: user.email, ...(user.sub ? { username: user.sub } : {}), reason: "ForgotPassword" }),
    );
    await ctx.step("the wrong code is refused", async () => {
      fails(
        await ctx.client.confirmForgotPassword(user.email, code, `${user.password}n3`),
        "CodeMismatchException",
        "Invalid verification code provided, please try again.",
      );
    });
    await ctx.step("POST /reset-password with it: 400", async () => {
      const body = await status(
        await postJson(ctx, "/reset-password", { email: user.email, code, password: `${user.password}n3` }),
        400,
        "POST /reset-password",
      );
      equal(errorType(body), "CodeMismatchException", "error.type");
    });
    await ctx.step("the old password still works", async () => {
      ok(await ctx.client.login(user.email, user.password), "sign-in");
    });
  },
};

const expiredResetCode: Scenario = {
  name: "expired-reset-code",
  description: "a reset code used after its hour: ExpiredCodeException",
  needs: ["clock"],
  async run(ctx) {
    const clock = ctx.clock!;
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    await ctx.step("request a reset code", async () => {
      ok(await ctx.client.forgotPassword(user.email), "ForgotPassword");
    });
    const code = await ctx.step("read the emailed code", () =>
      ctx.codes.code({
        poolId: ctx.poolId,
        email: user.email,
        ...(user.sub ? { username: user.sub } : {}),
        reason: "ForgotPassword",
      }),
    );
    await ctx.step("move the clock past the code's hour", () => clock.advance(3601));
    await ctx.step("the expired code is refused", async () => {
      fails(
        await ctx.client.confirmForgotPassword(user.email, code, `${user.password}n3`),
        "ExpiredCodeException",
        "Invalid code provided, please request a code again.",
      );
    });
  },
};

/** The failure scenarios. */
export const failures: readonly Scenario[] = [
  duplicateAccount,
  weakPassword,
  unconfirmedLogin,
  wrongPassword,
  tamperedToken,
  expiredToken,
  wrongResetCode,
  expiredResetCode,
];
