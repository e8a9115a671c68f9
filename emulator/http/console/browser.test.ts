// The web console in a real browser: headless Chromium (test-support/chromium.ts) against a
// listening emulator. A user signed up through the API shows in the pool's list, the code sent
// arrives in the open inbox page live, the request log shows calls as they happen, the clock
// moves, the token decoder judges a real token and a tampered one, and reset asks first. Also:
// the control token's sign-in page and cookie, a form on another origin refused, and the pages'
// layout at desktop and 360px phone widths. Screenshots of every page go to test-results/pages/
// (CONSOLE_SCREENSHOTS_DIR); a failed test leaves its pages' in test-results/screenshots/. The
// browser's hooks (launch, profiles, failure screenshots) are test-support/chromium.ts's useChromium.
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  ConfirmSignUpCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { type ServerType, serve } from "@hono/node-server";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { CONSOLE_COOKIE } from "./auth.js";

const SUITE = "emulator/http/console/browser.test.ts";
const runs = requireChromiumUnlessLocal(SUITE);
const PASSWORD = "Console-Passw0rd!";
/** Where the screenshots of the console's pages are kept (an artefact of the run). */
const PAGES_DIR = process.env.CONSOLE_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");

/** Waits (through navigations) until the element's text holds `text`. */
async function seeText(locator: Locator, text: string | RegExp): Promise<void> {
  await expect
    .poll(
      () =>
        locator
          .first()
          .textContent({ timeout: 1000 })
          .catch(() => ""),
      { timeout: 15_000 },
    )
    .toMatch(text);
}

describe.skipIf(!runs)("the web console in Chromium", () => {
  let t: TestTwin;
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });
  const newPage = (viewport?: { width: number; height: number }) => chromium.newPage(viewport);

  beforeAll(async () => {
    t = await startTwin();
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  /** Keeps a full-page screenshot of the page as an artefact: test-results/pages/console-<name>.png. */
  const keep = (page: Page, name: string) => chromium.keep(page, `console-${name}`);

  /** A pool with a client, a group and a domain. */
  async function pool(name: string): Promise<{ poolId: string; clientId: string }> {
    const created = await t.cognito.send(
      new CreateUserPoolCommand({ PoolName: name, UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] }),
    );
    const poolId = created.UserPool!.Id!;
    const client = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "web-app",
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      }),
    );
    await t.cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1 }));
    await t.cognito.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `${name.toLowerCase()}-${Date.now() % 100000}` }),
    );
    return { poolId, clientId: client.UserPoolClient!.ClientId! };
  }

  it("shows a user signed up through the API, its code arriving live, the clock moving, tokens judged, and reset", {
    timeout: 90_000,
  }, async () => {
    const { poolId, clientId } = await pool("Console-Walk");
    const page = await newPage();

    // The inbox is open before anything is sent: the code must arrive without a reload.
    await page.goto(`${t.url}/_twin/ui/inbox`);
    await seeText(page.locator("#live-status"), /Live/);
    const signUp = await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "walk@example.com",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "walk@example.com" }],
      }),
    );
    const code = t.twin.services.inbox.list({ userPoolId: poolId }).at(-1)!.code!;
    await seeText(page.locator("#rows tr[data-row=message] .code"), code);
    await keep(page, "inbox");

    // The pools, the pool with its new user, the user.
    await page.getByRole("link", { name: "Pools", exact: true }).click();
    await page.getByRole("link", { name: "Console-Walk", exact: true }).click();
    await seeText(page.getByRole("heading", { level: 1 }), "Console-Walk");
    const row = page.locator("tr", { has: page.getByRole("link", { name: signUp.UserSub! }) });
    await seeText(row, /walk@example\.com.*UNCONFIRMED|UNCONFIRMED.*walk@example\.com/);
    await keep(page, "pool");
    await page.goto(`${t.url}/_twin/ui`);
    await seeText(page.locator("tbody"), /Console-Walk/);
    await keep(page, "pools");

    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "walk@example.com", ConfirmationCode: code }),
    );
    await page.goto(`${t.url}/_twin/ui/pools/${poolId}`);
    await page.getByRole("link", { name: signUp.UserSub! }).click();
    await seeText(page.locator(".sub .badge").first(), "CONFIRMED");
    await seeText(page.locator("main"), /Messages sent \(1\)/);
    await keep(page, "user");

    // The request log, live.
    await page.getByRole("link", { name: "Requests", exact: true }).click();
    await seeText(page.locator("#live-status"), /Live/);
    await seeText(page.locator("#rows"), /ConfirmSignUp/);
    await t.cognito.send(new ListUsersCommand({ UserPoolId: poolId }));
    await seeText(page.locator("#rows tr").first(), /ListUsers/);
    await keep(page, "requests");

    // The clock: +1 hour.
    await page.getByRole("link", { name: "Clock", exact: true }).click();
    const before = t.twin.services.clock.now();
    await page.getByRole("button", { name: "+1 hour" }).click();
    await seeText(page.locator(".notice"), "Moved the clock by +1 h.");
    expect(t.twin.services.clock.offsetSeconds).toBe(3600);
    await seeText(page.locator("#clock-offset"), "1 h");
    expect(t.twin.services.clock.now() - before).toBeGreaterThanOrEqual(3600_000);
    await keep(page, "clock");

    // The token decoder: a real access token, then the same with its claims changed.
    const auth = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "walk@example.com", PASSWORD },
      }),
    );
    const access = auth.AuthenticationResult!.AccessToken!;
    await page.getByRole("link", { name: "Tokens", exact: true }).click();
    await page.getByLabel("Token").fill(access);
    await page.getByRole("button", { name: "Decode and verify" }).click();
    await seeText(page.locator("#verdict"), /^Valid: A valid access token of Console-Walk/);
    await seeText(page.locator("#claims"), /"token_use": "access"/);
    await keep(page, "token-valid");
    const [h, p, s] = access.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: "admin" })).toString("base64url")}.${s}`;
    await page.getByLabel("Token").fill(tampered);
    await page.getByRole("button", { name: "Decode and verify" }).click();
    await seeText(page.locator("#verdict"), /^Invalid: Cognito would refuse this token: signature/);
    await keep(page, "token-tampered");
    // An hour and a bit later on the emulator's clock, the real token has expired.
    t.twin.services.clock.advance(3601);
    await page.getByLabel("Token").fill(access);
    await page.getByRole("button", { name: "Decode and verify" }).click();
    await seeText(page.locator("#verdict"), /^Invalid: Cognito would refuse this token: expiry/);

    // Reset: the nav's entry asks first.
    await page.getByRole("link", { name: "Reset", exact: true }).click();
    await seeText(page.getByRole("heading", { level: 1 }), "Reset the emulator");
    await keep(page, "reset");
    expect([...t.twin.services.store.listPools()].length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Reset everything" }).click();
    await seeText(page.locator(".notice"), "The emulator was reset.");
    expect([...t.twin.services.store.listPools()]).toHaveLength(0);
    expect(t.twin.services.clock.offsetSeconds).toBe(0);
  });

  it("refuses a form posted from a page of another origin", { timeout: 60_000 }, async () => {
    await pool("Console-Csrf");
    // A page on another port of this machine: same site, another origin.
    const evil: ServerType = await new Promise((resolve) => {
      const s = serve(
        {
          hostname: "127.0.0.1",
          port: 0,
          fetch: () =>
            new Response(
              `<!DOCTYPE html><title>elsewhere</title><form method="post" action="${t.url}/_twin/ui/reset"><input type="hidden" name="confirm" value="reset"><button>Win a prize</button></form>`,
              { headers: { "content-type": "text/html" } },
            ),
        },
        () => resolve(s),
      );
    });
    try {
      const page = await newPage();
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      const answer = page.waitForResponse(`${t.url}/_twin/ui/reset`);
      await page.getByRole("button", { name: "Win a prize" }).click();
      expect((await answer).status()).toBe(403);
      expect([...t.twin.services.store.listPools()].length).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  it("asks for the control token once, then keeps it in an HttpOnly cookie", { timeout: 60_000 }, async () => {
    const locked = await startTwin({ controlToken: "browser-console-token" });
    try {
      const page = await newPage();
      await page.goto(`${locked.url}/_twin/ui/clock`);
      await seeText(page.getByRole("heading", { level: 1 }), "Sign in to the console");
      await keep(page, "login");
      await page.getByLabel("Control token").fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await seeText(page.getByRole("alert"), "That is not this emulator's control token.");
      await page.getByLabel("Control token").fill("browser-console-token");
      await page.getByRole("button", { name: "Sign in" }).click();
      await seeText(page.getByRole("heading", { level: 1 }), "Clock");
      const cookie = (await page.context().cookies(`${locked.url}/_twin/ui`)).find((c) => c.name === CONSOLE_COOKIE);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/_twin/ui" });
      expect(cookie!.value).not.toContain("browser-console-token");
      // Scoped to the console: the browser does not send it anywhere else.
      expect((await page.context().cookies(`${locked.url}/_twin/messages`)).map((c) => c.name)).not.toContain(
        CONSOLE_COOKIE,
      );
      // The pages and their forms work with the cookie alone.
      await page.getByRole("button", { name: "+1 minute" }).click();
      await seeText(page.locator(".notice"), "Moved the clock by +1 min.");
      // The cookie opens the console, not the other test controls.
      const controls = await page.goto(`${locked.url}/_twin/messages`);
      expect(controls!.status()).toBe(401);
      await page.goto(`${locked.url}/_twin/ui`);
      await page.getByRole("button", { name: "Sign out" }).click();
      await seeText(page.getByRole("heading", { level: 1 }), "Sign in to the console");
    } finally {
      await locked.close();
    }
  });

  it("lays every page out within a desktop and a 360px phone screen", { timeout: 90_000 }, async () => {
    const { poolId, clientId } = await pool("Console-Layout");
    for (let i = 0; i < 3; i++)
      await t.cognito.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: `layout-${i}@example.com`,
          Password: PASSWORD,
          UserAttributes: [{ Name: "email", Value: `layout-${i}@example.com` }],
        }),
      );
    const username = [...t.twin.services.store.listUsers(poolId)][0]!.username;
    const paths: [string, string][] = [
      ["pools", "/_twin/ui"],
      ["pool", `/_twin/ui/pools/${poolId}`],
      ["user", `/_twin/ui/pools/${poolId}/users/${username}`],
      ["inbox", "/_twin/ui/inbox"],
      ["requests", "/_twin/ui/requests"],
      ["clock", "/_twin/ui/clock"],
      ["tokens", "/_twin/ui/tokens"],
      ["reset", "/_twin/ui/reset"],
    ];
    for (const [label, viewport] of [
      ["desktop", { width: 1280, height: 800 }],
      ["phone", { width: 360, height: 740 }],
    ] as const) {
      const page = await newPage(viewport);
      for (const [name, path] of paths) {
        const res = await page.goto(`${t.url}${path}`);
        expect(res!.status(), path).toBe(200);
        const { scroll, width } = await page.evaluate<{ scroll: number; width: number }>(
          "({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })",
        );
        expect(scroll, `${name} at ${label} width scrolls sideways`).toBeLessThanOrEqual(width);
        await keep(page, `${name}-${label}`);
      }
    }
  });
});
