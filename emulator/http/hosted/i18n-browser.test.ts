// A sign-in through localized managed login pages in a real browser: headless Chromium
// (test-support/chromium.ts) against a listening emulator whose domain is on managed login
// (ManagedLoginVersion 2). The authorize request asks for Japanese; the user finds the fields by
// their Japanese labels, gets the API's English message for a wrong password, signs in, and the
// code is redeemed with PKCE. The language cookie keeps the choice; a German sign-up page is laid
// out at a phone's width. Screenshots of the pages go to test-results/pages/ (and, when a test
// fails, test-results/screenshots/).
import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const SUITE = "emulator/http/hosted/i18n-browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);
const PASSWORD = "Browser-Passw0rd!";
/** The app's callback: never a real server, the browser's request is answered by the test. */
const CALLBACK = "https://app.example.com/callback";
const PAGES_DIR = process.env.HOSTED_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");

describe.skipIf(!runs)("localized managed login in Chromium", () => {
  let t: TestTwin;
  let poolId: string;
  let clientId: string;
  let domainBase: string;
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });

  beforeAll(async () => {
    t = await startTwin();
    const pool = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "Localized-Pool",
        UsernameAttributes: ["email"],
        AutoVerifiedAttributes: ["email"],
      }),
    );
    poolId = pool.UserPool!.Id!;
    const prefix = `lang-${randomBytes(3).toString("hex")}`;
    await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }),
    );
    domainBase = `${t.url}/_domain/${prefix}`;
    const client = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "localized",
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      }),
    );
    clientId = client.UserPoolClient!.ClientId!;
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "yuki@example.com",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "yuki@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "yuki@example.com",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A fresh browser profile whose requests to the app's callback are answered here. */
  const newPage = (viewport?: { width: number; height: number }): Promise<Page> =>
    chromium.newPage(viewport, async (context) => {
      await context.route(`${CALLBACK}**`, (route) =>
        route.fulfill({ contentType: "text/html", body: "<!DOCTYPE html><title>App</title><h1>Back in the app</h1>" }),
      );
    });

  function authorizeUrl(extra: Record<string, string>): string {
    const q = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, ...extra });
    return `${domainBase}/oauth2/authorize?${q}`;
  }

  /** The page must fit its width: nothing scrolls sideways. Then its screenshot. */
  async function fits(page: Page, name: string): Promise<void> {
    const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>(
      "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
    );
    expect(scroll, `${name} scrolls sideways`).toBeLessThanOrEqual(width);
    await chromium.keep(page, `hosted-${name}`);
  }

  it("signs in through the Japanese pages with PKCE, and the language stays chosen", { timeout: 60_000 }, async () => {
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const page = await newPage();
    await page.goto(
      authorizeUrl({ lang: "ja", state: "st", code_challenge: challenge, code_challenge_method: "S256" }),
    );
    await expect.poll(() => page.url()).toContain(`${domainBase}/login?`);
    await expect(page.title()).resolves.toBe("サインイン - Localized-Pool");
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await fits(page, "login-ja-desktop");

    // A wrong password: the API's message, as Cognito's, on the Japanese page.
    await page.getByLabel("メールアドレス", { exact: true }).fill("yuki@example.com");
    await page.getByLabel("パスワード", { exact: true }).fill("Not-the-passw0rd!");
    await page.getByRole("button", { name: "サインイン", exact: true }).click();
    await expect
      .poll(() =>
        page
          .getByRole("alert")
          .textContent({ timeout: 1000 })
          .catch(() => ""),
      )
      .toBe("Incorrect username or password.");
    expect(await page.getAttribute("html", "lang")).toBe("ja");

    await page.getByLabel("パスワード", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "サインイン", exact: true }).click();
    await page.waitForURL(`${CALLBACK}?**`);
    const back = new URL(page.url()).searchParams;
    expect(back.get("state")).toBe("st");
    const res = await fetch(`${domainBase}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code: back.get("code")!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }),
    });
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toContain("id_token");

    // The choice is in a cookie on the domain; a sign-in page without lang is still Japanese.
    const cookies = await page.context().cookies(domainBase);
    expect(cookies.find((c) => c.name === "cognito-lang")).toMatchObject({ value: "ja", httpOnly: true });
    await page.goto(
      `${domainBase}/login?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, prompt: "login" })}`,
    );
    await expect(page.title()).resolves.toBe("サインイン - Localized-Pool");
  });

  it("lays the German, Chinese and Korean pages out within a 360px phone screen", { timeout: 60_000 }, async () => {
    const page = await newPage({ width: 360, height: 740 });
    await page.goto(authorizeUrl({ lang: "de" }));
    await expect(page.title()).resolves.toBe("Anmelden - Localized-Pool");
    await fits(page, "login-de-phone");
    await page.getByRole("link", { name: "Registrieren", exact: true }).click();
    await expect.poll(() => page.title()).toBe("Registrieren - Localized-Pool");
    await fits(page, "signup-de-phone");
    await page.getByRole("link", { name: "Passwort vergessen?", exact: true }).click();
    await expect.poll(() => page.title()).toBe("Passwort vergessen? - Localized-Pool");
    await fits(page, "forgot-de-phone");
    await page.goto(authorizeUrl({ lang: "zh-TW" }));
    await expect(page.title()).resolves.toBe("登入 - Localized-Pool");
    await fits(page, "login-zh-TW-phone");
    await page.goto(authorizeUrl({ lang: "ko" }));
    await page.getByRole("link", { name: "암호를 잊으셨나요?", exact: true }).click();
    await expect.poll(() => page.title()).toBe("암호를 잊으셨나요? - Localized-Pool");
    await fits(page, "forgot-ko-phone");
  });
});
