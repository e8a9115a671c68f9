// The flows a user of the seed app goes through when things work: register, log in, reach
// protected routes, reset or change a password, refresh, log out.
import { check, equal, errorType, fails, ok, status } from "./expect.js";
import { attempt, claims, get, postForm, postJson, setCookie, skipIfUnsupported } from "./helpers.js";
import type { Scenario, ScenarioContext, ScenarioUser } from "./types.js";

async function signIn(ctx: ScenarioContext, user: ScenarioUser) {
  const outcome = ok(await ctx.client.login(user.email, user.password), "sign-in");
  check(
    outcome.kind === "tokens",
    `sign-in answered a ${outcome.kind === "challenge" ? outcome.challengeName : ""} challenge instead of tokens`,
  );
  return outcome.tokens;
}

/** Logs in through the app and returns the `session=...` cookie to send back. */
async function appLogin(
  ctx: ScenarioContext,
  user: ScenarioUser,
): Promise<{ cookie: string; body: Record<string, unknown> }> {
  const res = await postJson(ctx, "/login", { email: user.email, password: user.password });
  const session = setCookie(res, "session");
  const body = await status(res, 200, "POST /login");
  check(session?.value, "POST /login set no session cookie");
  return { cookie: `session=${session.value}`, body };
}

export const registration: Scenario = {
  name: "registration",
  description: "sign up, refused sign-in while unconfirmed, resend the code, confirm, sign in, read the account",
  async run(ctx) {
    const user = ctx.newUser();
    const signUp = await ctx.step("sign up (email as username)", async () => {
      const value = ok(await ctx.client.signUp(user), "SignUp");
      user.sub = value.userSub;
      equal(value.confirmed, false, "UserConfirmed");
      check(/^[0-9a-f-]{36}$/.test(value.userSub), `UserSub ${value.userSub} is not a UUID`);
      equal(value.delivery?.medium, "EMAIL", "CodeDeliveryDetails.DeliveryMedium");
      equal(value.delivery?.attribute, "email", "CodeDeliveryDetails.AttributeName");
      check(
        value.delivery?.destination &&
          value.delivery.destination !== user.email &&
          value.delivery.destination.includes("***"),
        `destination ${value.delivery?.destination} is not masked`,
      );
      return value;
    });
    await ctx.step("sign-in before confirming is refused", async () => {
      fails(await ctx.client.login(user.email, user.password), "UserNotConfirmedException", "User is not confirmed.");
    });
    await ctx.step("resend the confirmation code", async () => {
      const value = ok(await ctx.client.resendCode(user.email), "ResendConfirmationCode");
      equal(value.delivery?.medium, "EMAIL", "CodeDeliveryDetails.DeliveryMedium");
    });
    await ctx.step("confirm the account", async () => {
      const how = await ctx.confirm(user);
      ctx.note(how === "code" ? "ConfirmSignUp with the emailed code" : "AdminConfirmSignUp");
    });
    await ctx.step("sign in after confirming", async () => {
      const tokens = await signIn(ctx, user);
      const profile = ok(await ctx.client.getUser(tokens.accessToken), "GetUser");
      equal(profile.username, signUp.userSub, "GetUser Username (the sub)");
      equal(profile.attributes.email, user.email, "email attribute");
      equal(profile.attributes.name, user.name, "name attribute");
      equal(profile.attributes.sub, signUp.userSub, "sub attribute");
    });
  },
};

const login: Scenario = {
  name: "login",
  description:
    "USER_PASSWORD_AUTH through the client and through the app (JSON and form bodies), and the tokens' claims",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const tokens = await ctx.step("sign in with USER_PASSWORD_AUTH", async () => {
      const t = await signIn(ctx, user);
      equal(t.tokenType, "Bearer", "TokenType");
      check(t.refreshToken, "no refresh token");
      check(t.expiresIn > 0, `ExpiresIn ${t.expiresIn}`);
      return t;
    });
    await ctx.step("the access token's claims", async () => {
      const c = claims(tokens.accessToken);
      equal(c.iss, ctx.issuer, "iss");
      equal(c.token_use, "access", "token_use");
      equal(c.client_id, ctx.clientId, "client_id");
      equal(c.username, user.sub, "username");
      equal(c.sub, user.sub, "sub");
      check(String(c.scope).split(" ").includes("aws.cognito.signin.user.admin"), `scope ${String(c.scope)}`);
      equal(c.exp! - c.iat!, tokens.expiresIn, "exp - iat");
    });
    await ctx.step("the id token's claims", async () => {
      const c = claims(tokens.idToken);
      equal(c.iss, ctx.issuer, "iss");
      equal(c.token_use, "id", "token_use");
      equal(c.aud, ctx.clientId, "aud");
      equal(c["cognito:username"], user.sub, "cognito:username");
      equal(c.email, user.email, "email");
      equal(c.name, user.name, "name");
    });
    await ctx.step("the app's /login sets an HttpOnly SameSite=Lax cookie", async () => {
      const res = await postJson(ctx, "/login", { email: user.email, password: user.password });
      const cookie = setCookie(res, "session");
      const body = await status(res, 200, "POST /login");
      check(cookie, "no session cookie");
      equal(cookie.attributes.get("httponly"), true, "HttpOnly");
      equal(String(cookie.attributes.get("samesite")).toLowerCase(), "lax", "SameSite");
      equal(cookie.attributes.get("path"), "/", "Path");
      equal(cookie.value, body.accessToken, "cookie value (the access token)");
      equal(body.token, body.accessToken, "token (the seed's field)");
      check(typeof body.refreshToken === "string" && typeof body.idToken === "string", "tokens missing from the body");
    });
    await ctx.step("the app's /login takes a form body too", async () => {
      await status(
        await postForm(ctx, "/login", { email: user.email, password: user.password }),
        200,
        "POST /login (form)",
      );
    });
  },
};

const protection: Scenario = {
  name: "protection",
  description: "protected routes of the app: 401 without a token, cookie and bearer access, claims, group rule (403)",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    await ctx.step("no token: 401 with WWW-Authenticate", async () => {
      const res = await get(ctx, "/protected");
      await status(res, 401, "GET /protected");
      check(
        res.headers.get("www-authenticate")?.startsWith("Bearer"),
        `WWW-Authenticate: ${res.headers.get("www-authenticate")}`,
      );
    });
    const session = await ctx.step("log in through the app", () => appLogin(ctx, user));
    await ctx.step("the session cookie opens /protected", async () => {
      const body = await status(await get(ctx, "/protected", { cookie: session.cookie }), 200, "GET /protected");
      equal(body.username, user.sub, "username");
    });
    await ctx.step("a bearer token opens /me with the verified claims", async () => {
      const body = await status(await get(ctx, "/me", { bearer: String(session.body.accessToken) }), 200, "GET /me");
      equal(body.sub, user.sub, "sub");
      equal(body.clientId, ctx.clientId, "clientId");
    });
    await ctx.step("an id token is not an access token: 401", async () => {
      const res = await get(ctx, "/protected", { bearer: String(session.body.idToken) });
      const body = await status(res, 401, "GET /protected with an id token");
      equal(errorType(body), "invalid_token", "error.type");
      check(
        res.headers.get("www-authenticate")?.includes('error="invalid_token"'),
        `WWW-Authenticate: ${res.headers.get("www-authenticate")}`,
      );
    });
    await ctx.step("/admin without the admin group: 403", async () => {
      const res = await get(ctx, "/admin", { cookie: session.cookie });
      await status(res, 403, "GET /admin");
      check(
        res.headers.get("www-authenticate")?.includes("insufficient_scope"),
        `WWW-Authenticate: ${res.headers.get("www-authenticate")}`,
      );
    });
    await ctx.step("in the admin group, /admin opens after signing in again", async () => {
      skipIfUnsupported(ctx, await attempt(() => ctx.admin.addToGroup(user.sub!, "admin")));
      const again = await appLogin(ctx, user);
      const body = await status(await get(ctx, "/me", { cookie: again.cookie }), 200, "GET /me");
      check(Array.isArray(body.groups) && body.groups.includes("admin"), `groups ${JSON.stringify(body.groups)}`);
      await status(await get(ctx, "/admin", { cookie: again.cookie }), 200, "GET /admin");
    });
  },
};

export const passwordReset: Scenario = {
  name: "password-reset",
  description: "forgot password through the app, the emailed code, a new password; the old one stops working",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    await ctx.step("request a reset code (POST /forgot-password)", async () => {
      const body = await status(
        await postJson(ctx, "/forgot-password", { email: user.email }),
        200,
        "POST /forgot-password",
      );
      equal((body.codeDelivery as { medium?: string } | null)?.medium, "EMAIL", "codeDelivery.medium");
    });
    const code = await ctx.step("read the emailed code", () =>
      ctx.codes.code({
        poolId: ctx.poolId,
        email: user.email,
        ...(user.sub ? { username: user.sub } : {}),
        reason: "ForgotPassword",
      }),
    );
    const newPassword = `${user.password}x9`;
    await ctx.step("set a new password with it (POST /reset-password)", async () => {
      await status(
        await postJson(ctx, "/reset-password", { email: user.email, code, password: newPassword }),
        200,
        "POST /reset-password",
      );
    });
    await ctx.step("the old password is refused", async () => {
      fails(
        await ctx.client.login(user.email, user.password),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    });
    await ctx.step("the new password works", async () => {
      await signIn(ctx, { ...user, password: newPassword });
    });
  },
};

const changePassword: Scenario = {
  name: "change-password",
  description: "a signed-in user changes their password through the app",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const session = await ctx.step("log in through the app", () => appLogin(ctx, user));
    const proposed = `${user.password}c7`;
    await ctx.step("a wrong current password is refused: 400", async () => {
      const body = await status(
        await postJson(
          ctx,
          "/change-password",
          { previousPassword: `${user.password}nope`, proposedPassword: proposed },
          { cookie: session.cookie },
        ),
        400,
        "POST /change-password",
      );
      equal(errorType(body), "NotAuthorizedException", "error.type");
    });
    await ctx.step("change the password (POST /change-password)", async () => {
      await status(
        await postJson(
          ctx,
          "/change-password",
          { previousPassword: user.password, proposedPassword: proposed },
          { cookie: session.cookie },
        ),
        200,
        "POST /change-password",
      );
    });
    await ctx.step("the new password works, the old one not", async () => {
      await signIn(ctx, { ...user, password: proposed });
      fails(
        await ctx.client.login(user.email, user.password),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    });
  },
};

const refresh: Scenario = {
  name: "refresh",
  description: "REFRESH_TOKEN_AUTH through the client and the app's /refresh",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const first = await ctx.step("sign in", () => signIn(ctx, user));
    const renewed = await ctx.step("refresh answers new tokens, no new refresh token", async () => {
      const t = ok(await ctx.client.refresh(first.refreshToken!, user.sub), "REFRESH_TOKEN_AUTH");
      check(t.accessToken !== first.accessToken, "the access token did not change");
      equal(t.refreshToken, undefined, "RefreshToken");
      equal(claims(t.accessToken).auth_time, claims(first.accessToken).auth_time, "auth_time (kept from the sign-in)");
      return t;
    });
    await ctx.step("the refreshed access token works", async () => {
      const profile = ok(await ctx.client.getUser(renewed.accessToken), "GetUser");
      equal(profile.username, user.sub, "Username");
    });
    await ctx.step("the app's /refresh renews the session cookie", async () => {
      const session = await appLogin(ctx, user);
      const res = await postJson(
        ctx,
        "/refresh",
        { refreshToken: session.body.refreshToken },
        { cookie: session.cookie },
      );
      const cookie = setCookie(res, "session");
      const body = await status(res, 200, "POST /refresh");
      check(
        cookie?.value && cookie.value === body.accessToken,
        "the session cookie was not renewed with the new access token",
      );
      await status(
        await get(ctx, "/protected", { cookie: `session=${cookie.value}` }),
        200,
        "GET /protected with the renewed cookie",
      );
    });
    await ctx.step("a made-up refresh token is refused", async () => {
      fails(await ctx.client.refresh("not-a-refresh-token", user.sub), "NotAuthorizedException");
      const body = await status(
        await postJson(ctx, "/refresh", { refresh_token: "not-a-refresh-token" }),
        401,
        "POST /refresh",
      );
      equal(errorType(body), "NotAuthorizedException", "error.type");
    });
  },
};

const logout: Scenario = {
  name: "logout",
  description: "GlobalSignOut through the app's /logout, and RevokeToken of one refresh token",
  async run(ctx) {
    const user = await ctx.step("set up a confirmed user", () => ctx.confirmedUser());
    const session = await ctx.step("log in through the app", () => appLogin(ctx, user));
    await ctx.step("/logout signs out and clears the cookie", async () => {
      const res = await ctx.app.fetch("/logout", { method: "POST", headers: { cookie: session.cookie } });
      const cookie = setCookie(res, "session");
      await status(res, 200, "POST /logout");
      check(
        cookie && cookie.value === "" && cookie.attributes.get("max-age") === "0",
        `the cookie was not cleared: ${res.headers.getSetCookie().join(" | ")}`,
      );
    });
    await ctx.step("the old access token is revoked at Cognito", async () => {
      fails(
        await ctx.client.getUser(String(session.body.accessToken)),
        "NotAuthorizedException",
        "Access Token has been revoked",
      );
    });
    await ctx.step("the old refresh token is revoked", async () => {
      fails(await ctx.client.refresh(String(session.body.refreshToken), user.sub), "NotAuthorizedException");
    });
    await ctx.step("/logout without a session: 401", async () => {
      await status(await ctx.app.fetch("/logout", { method: "POST" }), 401, "POST /logout");
    });
    const again = await ctx.step("sign in again", () => signIn(ctx, user));
    await ctx.step("RevokeToken revokes that refresh token and its access token", async () => {
      ok(await ctx.client.revoke(again.refreshToken!), "RevokeToken");
      fails(await ctx.client.refresh(again.refreshToken!, user.sub), "NotAuthorizedException");
      fails(await ctx.client.getUser(again.accessToken), "NotAuthorizedException", "Access Token has been revoked");
    });
  },
};

/** The happy paths, in the order a user meets them. */
export const flows: readonly Scenario[] = [
  registration,
  login,
  protection,
  passwordReset,
  changePassword,
  refresh,
  logout,
];
