// The managed login pages in a real browser: headless Chromium (test-support/chromium.ts) against
// a listening emulator, with the seed app (client/, its hosted login through openid-client) on
// its own port as the app the pages send users back to. The code flow with PKCE end to end, a
// wrong password, sign-up with its confirmation code, a forgotten password, TOTP at sign-in,
// setting up an authenticator during sign-in, the pages' session reused, and logout; the pages'
// layout at desktop and phone widths. A failed test leaves screenshots in test-results/screenshots/.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type ServerType, serve } from "@hono/node-server";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuthApp } from "../../../client/app.js";
import { CognitoAuthClient } from "../../../client/cognito-client.js";
import { discoveryUrlFor, HostedLogin } from "../../../client/hosted-login.js";
import { createAccessTokenVerifier } from "../../../client/middleware.js";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { GUIDE_POOL } from "../../../test-support/seed-guide.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { totpCode } from "../../crypto/totp.js";

const SUITE = "emulator/http/hosted/browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);
const PASSWORD = "Browser-Passw0rd!";
/** Where the layout test leaves its screenshots of the main pages. */
const PAGES_DIR = process.env.HOSTED_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");

/** A pool with a domain, an app client for the pages, and the seed app serving its callback. */
interface Stack {
  poolId: string;
  clientId: string;
  domainBase: string;
  /** `http://localhost:<port>`: the app. */
  app: string;
  /** A confirmed user with a permanent password and a verified email. */
  user(email: string): Promise<void>;
  close(): Promise<void>;
}

let t: TestTwin;

async function stack(name: string, mfa?: "OPTIONAL" | "ON"): Promise<Stack> {
  const pool = await t.cognito.send(new CreateUserPoolCommand({ ...GUIDE_POOL, PoolName: name }));
  const poolId = pool.UserPool!.Id!;
  if (mfa)
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: mfa,
        SoftwareTokenMfaConfiguration: { Enabled: true },
      }),
    );
  const prefix = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`;
  await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  const domainBase = `${t.url}/_domain/${prefix}`;

  // The app's port is known once it listens; the client's callback URL needs it.
  let handler: (req: Request) => Response | Promise<Response> = () => new Response("starting", { status: 503 });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (req) => handler(req), hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const app = `http://localhost:${(server.address() as AddressInfo).port}`;
  const created = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "browser-app",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
      CallbackURLs: [`${app}/callback`],
      LogoutURLs: [`${app}/signed-out`],
      SupportedIdentityProviders: ["COGNITO"],
    }),
  );
  const clientId = created.UserPoolClient!.ClientId!;
  const config = { region: "us-east-1", userPoolId: poolId, clientId, endpoint: t.url };
  const authApp = createAuthApp({
    cognito: new CognitoAuthClient(config),
    verifier: createAccessTokenVerifier(config),
    hosted: new HostedLogin({
      clientId,
      domain: domainBase,
      callbackUrl: `${app}/callback`,
      logoutUrl: `${app}/signed-out`,
      discoveryUrl: discoveryUrlFor(config),
    }),
    logError: (e) => console.error(e),
  });
  handler = (req) =>
    new URL(req.url).pathname === "/signed-out"
      ? new Response("<!DOCTYPE html><title>Signed out</title><h1>Signed out</h1>", {
          headers: { "content-type": "text/html" },
        })
      : authApp.fetch(req);
  return {
    poolId,
    clientId,
    domainBase,
    app,
    async user(email) {
      await t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: email,
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
            { Name: "name", Value: "Browser User" },
          ],
        }),
      );
      await t.cognito.send(
        new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: email, Password: PASSWORD, Permanent: true }),
      );
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The latest code the emulator "sent" a user, from GET /_twin/messages. */
async function inboxCode(poolId: string, email: string, reason: string): Promise<string> {
  const res = await fetch(`${t.url}/_twin/messages?userPoolId=${poolId}&username=${encodeURIComponent(email)}`);
  const { messages } = (await res.json()) as { messages: { reason: string; code?: string }[] };
  const code = messages.filter((m) => m.reason === reason).at(-1)?.code;
  if (!code) throw new Error(`no ${reason} code for ${email}: ${JSON.stringify(messages)}`);
  return code;
}

/** Waits (through navigations) until the element's text is `text`. */
async function seeText(locator: Locator, text: string): Promise<void> {
  await expect.poll(() => locator.textContent({ timeout: 1000 }).catch(() => ""), { timeout: 15_000 }).toBe(text);
}

/** The JSON the app answered on the page (Chromium shows it as text). */
async function jsonOf(page: Page): Promise<Record<string, unknown>> {
  return JSON.parse((await page.locator("body").textContent()) ?? "") as Record<string, unknown>;
}

describe.skipIf(!runs)("the managed login pages in Chromium", () => {
  let web: Stack;
  let mfaRequired: Stack;
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });
  const newPage = (viewport?: { width: number; height: number }) => chromium.newPage(viewport);

  beforeAll(async () => {
    t = await startTwin();
    [web, mfaRequired] = await Promise.all([stack("Browser-Pool", "OPTIONAL"), stack("Browser-MFA-Pool", "ON")]);
  }, 120_000);
  afterAll(async () => {
    await web?.close();
    await mfaRequired?.close();
    await t?.close();
  });

  /** The app's /login/hosted, which lands on the pages' sign-in form. */
  async function toLoginPage(page: Page, s: Stack): Promise<void> {
    await page.goto(`${s.app}/login/hosted`);
    await expect.poll(() => page.url()).toContain(`${s.domainBase}/login?`);
    await expect(page.title()).resolves.toMatch(/^Sign in - /);
  }

  async function signInOnPage(page: Page, email: string, password = PASSWORD): Promise<void> {
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
  }

  /** Waits for the app's callback page and answers its JSON. */
  async function callbackJson(page: Page, s: Stack): Promise<Record<string, unknown>> {
    await page.waitForURL(`${s.app}/callback?**`);
    return jsonOf(page);
  }

  it("runs the code flow with PKCE end to end and sets the app's session", { timeout: 60_000 }, async () => {
    await web.user("flow@example.com");
    const page = await newPage();
    const authorize: URL[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/oauth2/authorize?")) authorize.push(new URL(r.url()));
    });
    await toLoginPage(page, web);
    expect(authorize).toHaveLength(1);
    expect(authorize[0]!.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize[0]!.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await seeText(page.locator("p.pool"), "Browser-Pool");
    await signInOnPage(page, "flow@example.com");
    const body = await callbackJson(page, web);
    expect(body.message).toBe("Login successful");
    const cookies = await page.context().cookies(web.app);
    expect(cookies.find((c) => c.name === "session")).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    await page.goto(`${web.app}/me`);
    expect(await jsonOf(page)).toMatchObject({ clientId: web.clientId });
  });

  it("keeps the user on the page with the API's message for a wrong password", { timeout: 60_000 }, async () => {
    await web.user("wrong@example.com");
    const page = await newPage();
    await toLoginPage(page, web);
    await signInOnPage(page, "wrong@example.com", "Not-the-passw0rd!");
    await seeText(page.getByRole("alert"), "Incorrect username or password.");
    expect(page.url()).toContain(`${web.domainBase}/login?`);
    // The username stays filled in; the password does not.
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe("wrong@example.com");
    expect(await page.getByLabel("Password", { exact: true }).inputValue()).toBe("");
  });

  it("is usable from the keyboard alone: Tab reaches every field, link and button, Enter signs in", {
    timeout: 60_000,
  }, async () => {
    await web.user("keys@example.com");
    const page = await newPage();
    await toLoginPage(page, web);
    // What Tab reaches, in order, from the top of the page: each stop named as a user hears it.
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      // In the page, as a string: the tests compile without the DOM's types.
      const stop = await page.evaluate<string>(`(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return "";
        const label = el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : undefined;
        return el.tagName.toLowerCase() + ":" + (label ?? el.textContent ?? "").trim();
      })()`);
      if (stop === "" || stops.includes(stop)) break;
      stops.push(stop);
    }
    expect(stops.slice(0, 3)).toEqual(["input:Email", "input:Password", "button:Sign in"]);
    expect(stops).toContain("a:Forgot your password?");
    expect(stops).toContain("a:Sign up");
    // Focus is visible where it lands (the pages' focus ring), then the form is sent with Enter.
    await page.getByLabel("Email", { exact: true }).focus();
    const ring = await page.evaluate<string>("getComputedStyle(document.activeElement).outlineStyle");
    expect(ring).not.toBe("none");
    await page.keyboard.type("keys@example.com");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    expect((await callbackJson(page, web)).message).toBe("Login successful");
  });

  it("signs a new user up and confirms them with the emailed code", { timeout: 60_000 }, async () => {
    const page = await newPage();
    await toLoginPage(page, web);
    await page.getByRole("link", { name: "Sign up", exact: true }).click();
    await seeText(page.getByRole("heading", { level: 1 }), "Sign up");
    await page.getByLabel("Email", { exact: true }).fill("new@example.com");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Name", { exact: true }).fill("New User");
    await page.getByRole("button", { name: "Sign up", exact: true }).click();
    await seeText(page.getByRole("heading", { level: 1 }), "Confirm your account");
    await page.getByText(/^We sent a code to /).waitFor({ state: "visible" });
    await page
      .getByLabel("Confirmation code", { exact: true })
      .fill(await inboxCode(web.poolId, "new@example.com", "SignUp"));
    await page.getByRole("button", { name: "Confirm account", exact: true }).click();
    // Confirming a sign-up made in this browser signs the user in.
    expect((await callbackJson(page, web)).message).toBe("Login successful");
  });

  it("resets a forgotten password with the emailed code", { timeout: 60_000 }, async () => {
    await web.user("forgot@example.com");
    const page = await newPage();
    await toLoginPage(page, web);
    await page.getByRole("link", { name: "Forgot your password?", exact: true }).click();
    await page.getByLabel("Email", { exact: true }).fill("forgot@example.com");
    await page.getByRole("button", { name: "Reset my password", exact: true }).click();
    await seeText(page.getByRole("heading", { level: 1 }), "Reset your password");
    await page
      .getByLabel("Code", { exact: true })
      .fill(await inboxCode(web.poolId, "forgot@example.com", "ForgotPassword"));
    await page.getByLabel("New password", { exact: true }).fill(`${PASSWORD}2`);
    await page.getByLabel("Enter the new password again", { exact: true }).fill(`${PASSWORD}2`);
    await page.getByRole("button", { name: "Change password", exact: true }).click();
    await seeText(page.getByRole("status"), "Your password was changed. Sign in with your new password.");
    await signInOnPage(page, "forgot@example.com", `${PASSWORD}2`);
    expect((await callbackJson(page, web)).message).toBe("Login successful");
  });

  it("asks for the authenticator code of a user with TOTP", { timeout: 60_000 }, async () => {
    await web.user("totp@example.com");
    // The authenticator set up through the API, as an app would.
    const signedIn = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: web.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "totp@example.com", PASSWORD },
      }),
    );
    const accessToken = signedIn.AuthenticationResult!.AccessToken!;
    const { SecretCode: secret } = await t.cognito.send(
      new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
    );
    await t.cognito.send(
      new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(secret!, Date.now()) }),
    );
    await t.cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const page = await newPage();
    await toLoginPage(page, web);
    await signInOnPage(page, "totp@example.com");
    await seeText(page.getByRole("heading", { level: 1 }), "Enter your authenticator code");
    // The next step's code: the one used to verify may not be used twice.
    await page.getByLabel("Code", { exact: true }).fill(totpCode(secret!, Date.now() + 30_000));
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    expect((await callbackJson(page, web)).message).toBe("Login successful");
  });

  it("sets up an authenticator during sign-in when the pool requires MFA", { timeout: 60_000 }, async () => {
    await mfaRequired.user("setup@example.com");
    const page = await newPage();
    await toLoginPage(page, mfaRequired);
    await signInOnPage(page, "setup@example.com");
    await seeText(page.getByRole("heading", { level: 1 }), "Set up an authenticator app");
    await page.getByRole("img", { name: "QR code of the authenticator secret" }).waitFor({ state: "visible" });
    const secret = ((await page.locator(".secret").textContent()) ?? "").trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.getByLabel("Code from the app", { exact: true }).fill(totpCode(secret, Date.now()));
    await page.getByLabel("Device name (optional)", { exact: true }).fill("Test phone");
    await page.getByRole("button", { name: "Verify and sign in", exact: true }).click();
    expect((await callbackJson(page, mfaRequired)).message).toBe("Login successful");
  });

  it("reuses the pages' session, and logging out ends it", { timeout: 60_000 }, async () => {
    await web.user("reuse@example.com");
    const page = await newPage();
    await toLoginPage(page, web);
    await signInOnPage(page, "reuse@example.com");
    await callbackJson(page, web);

    // Signed in on the pages: the next sign-in goes straight back to the app.
    const visited: string[] = [];
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) visited.push(f.url());
    });
    await page.goto(`${web.app}/login/hosted`);
    expect((await callbackJson(page, web)).message).toBe("Login successful");
    expect(visited.some((u) => u.startsWith(`${web.domainBase}/login`))).toBe(false);

    await page.goto(`${web.app}/logout`);
    await page.waitForURL(`${web.app}/signed-out`);
    await seeText(page.getByRole("heading", { level: 1 }), "Signed out");
    const names = (await page.context().cookies([web.app, web.domainBase])).map((c) => c.name);
    expect(names).not.toContain("session");
    expect(names).not.toContain("cognito");
    await page.goto(`${web.app}/me`);
    expect(await jsonOf(page)).toMatchObject({ error: { type: "unauthorized" } });
    // The pages ask for the password again.
    await toLoginPage(page, web);
  });

  it("lays the main pages out within a desktop and a 360px phone screen", { timeout: 90_000 }, async () => {
    await mfaRequired.user("layout@example.com");
    for (const [label, viewport] of [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 360, height: 740 }],
    ] as const) {
      const page = await newPage(viewport);
      const fits = async (name: string) => {
        const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>(
          "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
        );
        expect(scroll, `${name} at ${label} width scrolls sideways`).toBeLessThanOrEqual(width);
        await chromium.keep(page, `hosted-${name}-${label}`);
      };
      await toLoginPage(page, mfaRequired);
      await fits("login");
      await page.getByRole("link", { name: "Sign up", exact: true }).click();
      await seeText(page.getByRole("heading", { level: 1 }), "Sign up");
      await fits("signup");
      await toLoginPage(page, mfaRequired);
      // Never verified, so each sign-in asks for the set-up again.
      await signInOnPage(page, "layout@example.com");
      await seeText(page.getByRole("heading", { level: 1 }), "Set up an authenticator app");
      await fits("mfa-setup");
    }
  });
});
