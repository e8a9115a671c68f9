// Passkeys on the managed login pages in a real browser: headless Chromium (test-support/chromium.ts)
// with the DevTools protocol's virtual authenticator (WebAuthn.enable +
// WebAuthn.addVirtualAuthenticator through a CDP session, as domain/webauthn/browser.test.ts), on
// a managed login domain (version 2) at http://localhost:<port> (RP ID `localhost`). The user
// signs in with a password, takes the offer to add a passkey (the page's script calls
// navigator.credentials.create), then signs in again with the passkey alone (the page's script
// calls navigator.credentials.get): both times the app's callback gets a code that the token
// endpoint exchanges. Then passkey MFA (FactorConfiguration MULTI_FACTOR_WITH_USER_VERIFICATION
// and the user's WebAuthnMfaSettings) where MFA is required: the passkey alone signs in, and no
// longer once the virtual authenticator stops verifying the user. Everything the browser runs is
// the pages' own script, allowed by its nonce.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireChromiumUnlessLocal, useChromium } from "../../../test-support/chromium.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";

const SUITE = "emulator/http/hosted/passkey-browser.test.ts";
/** Where the pages' screenshots are kept, as the other browser suites keep theirs. */
const PAGES_DIR = process.env.HOSTED_SCREENSHOTS_DIR ?? join(process.cwd(), "test-results", "pages");
const runs = requireChromiumUnlessLocal(SUITE);
const PASSWORD = "Passkey-Passw0rd!";
const CALLBACK = "https://app.example.com/callback";

let t: TestTwin;

describe.runIf(runs)("passkeys on managed login in Chromium with a virtual authenticator", () => {
  const chromium = useChromium(SUITE, { pagesDir: PAGES_DIR });

  beforeAll(async () => {
    t = await startTwin();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** A pool with passkeys for `localhost`, a USER_AUTH client, a managed login domain and a user. */
  async function passkeyPool(username: string) {
    const pool = await t.cognito.send(
      new CreateUserPoolCommand({
        PoolName: "Passkey pages",
        UserPoolTier: "ESSENTIALS",
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } },
      }),
    );
    const poolId = pool.UserPool!.Id!;
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "required" },
      }),
    );
    const prefix = `passkeys-${randomBytes(3).toString("hex")}`;
    await t.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    await t.cognito.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }),
    );
    const client = await t.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: "passkey-pages",
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: ["openid", "email"],
        CallbackURLs: [CALLBACK],
        SupportedIdentityProviders: ["COGNITO"],
      }),
    );
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${username}@example.com` },
          { Name: "email_verified", Value: "true" },
          { Name: "phone_number", Value: "+15555550199" },
          { Name: "phone_number_verified", Value: "true" },
        ],
      }),
    );
    await t.cognito.send(
      new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }),
    );
    // The pages on `localhost`, the RP ID's host: a secure context for WebAuthn over http.
    const base = `${t.url.replace("127.0.0.1", "localhost")}/_domain/${prefix}`;
    return { poolId, clientId: client.UserPoolClient!.ClientId!, base };
  }

  /** A page with a virtual platform authenticator that verifies the user; the app's callback answered. */
  async function openPage(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string; codes: string[] }> {
    const codes: string[] = [];
    const page = await chromium.newPage(undefined, async (context) => {
      await context.route(`${CALLBACK}**`, async (route) => {
        codes.push(new URL(route.request().url()).searchParams.get("code") ?? "");
        await route.fulfill({ status: 200, contentType: "text/plain", body: "signed in" });
      });
    });
    // The virtual authenticator is this suite's own: a CDP session on the page's target.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { page, cdp, authenticatorId, codes };
  }

  async function exchange(base: string, clientId: string, code: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: clientId,
        code,
        redirect_uri: CALLBACK,
      }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  it("adds a passkey after a password sign-in, then signs in with the passkey alone", async () => {
    const { poolId, clientId, base } = await passkeyPool("pagekey");
    const { page: p, cdp, authenticatorId, codes } = await openPage();
    const authorize = (extra: Record<string, string> = {}) =>
      `${base}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, scope: "openid email", ...extra })}`;
    const scriptErrors: string[] = [];
    p.on("console", (m) => {
      if (m.type() === "error") scriptErrors.push(m.text());
    });

    // Username first, then the password on the choice page.
    await p.goto(authorize());
    await p.getByLabel("Username").fill("pagekey");
    await p.getByRole("button", { name: "Next" }).click();
    await expect.poll(() => p.title()).toContain("Choose how to sign in");
    await chromium.keep(p, "hosted-choice-desktop");
    await p.getByLabel("Password").fill(PASSWORD);
    await p.getByRole("button", { name: "Sign in with password" }).click();

    // The offer: the page's script creates the passkey with the virtual authenticator.
    await expect.poll(() => p.title()).toContain("Add a passkey");
    await chromium.keep(p, "hosted-add-passkey-desktop");
    await p.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => codes.length, { timeout: 10_000 }).toBe(1);
    const stored = t.twin.services.store.getUser(poolId, "pagekey")!.webAuthnCredentials!;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ relyingPartyId: "localhost", attachment: "platform" });
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(Buffer.from(credentials[0]!.credentialId, "base64").toString("base64url")).toBe(stored[0]!.credentialId);
    expect(await exchange(base, clientId, codes[0]!)).toHaveProperty("id_token");

    // Again (prompt=login): the passkey this time, and no offer after it.
    await p.goto(authorize({ prompt: "login" }));
    await p.getByLabel("Username").fill("pagekey");
    await p.getByRole("button", { name: "Next" }).click();
    await p.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect.poll(() => p.title()).toContain("Sign in with a passkey");
    await chromium.keep(p, "hosted-passkey-desktop");
    await p.getByRole("button", { name: "Use my passkey" }).click();
    await expect.poll(() => codes.length, { timeout: 10_000 }).toBe(2);
    const tokens = await exchange(base, clientId, codes[1]!);
    const claims = JSON.parse(Buffer.from(String(tokens.id_token).split(".")[1]!, "base64url").toString("utf8"));
    expect(claims["cognito:username"]).toBe("pagekey");
    // The signature counter the emulator keeps follows the authenticator's.
    const after = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(t.twin.services.store.getUser(poolId, "pagekey")!.webAuthnCredentials![0]!.counter).toBe(
      after.credentials[0]!.signCount,
    );
    expect(scriptErrors).toEqual([]);
  });

  it("with passkey MFA, signs in with the passkey alone where MFA is required, and not without user verification", async () => {
    const { poolId, clientId, base } = await passkeyPool("mfakey");
    const { page: p, cdp, authenticatorId, codes } = await openPage();
    const authorize = (extra: Record<string, string> = {}) =>
      `${base}/oauth2/authorize?${new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: CALLBACK, scope: "openid email", ...extra })}`;
    // Passkeys may stand for MFA in the pool, and MFA is required; the user has SMS and passkey MFA.
    await t.cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: "ON",
        SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns" } },
        WebAuthnConfiguration: {
          RelyingPartyId: "localhost",
          FactorConfiguration: "MULTI_FACTOR_WITH_USER_VERIFICATION",
        },
      }),
    );
    await t.cognito.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId,
        Username: "mfakey",
        SMSMfaSettings: { Enabled: true },
        WebAuthnMfaSettings: { Enabled: true },
      }),
    );
    const choose = async (extra: Record<string, string> = {}) => {
      await p.goto(authorize(extra));
      await p.getByLabel("Username").fill("mfakey");
      await p.getByRole("button", { name: "Next" }).click();
      await expect.poll(() => p.title()).toContain("Choose how to sign in");
    };

    // Password and the texted code, then the offer, taken.
    await choose();
    await p.getByLabel("Password").fill(PASSWORD);
    await p.getByRole("button", { name: "Sign in with password" }).click();
    const sms = t.twin.services.inbox.list({ userPoolId: poolId, username: "mfakey" }).at(-1)!.code!;
    await p.getByLabel(/code/i).fill(sms);
    await p
      .getByRole("button", { name: /sign in|confirm|submit|verify/i })
      .first()
      .click();
    await expect.poll(() => p.title()).toContain("Add a passkey");
    await p.getByRole("button", { name: "Add a passkey" }).click();
    await expect.poll(() => codes.length, { timeout: 10_000 }).toBe(1);
    // The callback's page has loaded before the next navigation starts (else goto is interrupted).
    await p.waitForURL(`${CALLBACK}**`);

    // The passkey alone: no code asked for.
    await choose({ prompt: "login" });
    await p.getByRole("button", { name: "Sign in with a passkey" }).click();
    await p.getByRole("button", { name: "Use my passkey" }).click();
    await expect.poll(() => codes.length, { timeout: 10_000 }).toBe(2);
    await p.waitForURL(`${CALLBACK}**`);
    expect(await exchange(base, clientId, codes[1]!)).toHaveProperty("id_token");

    // The authenticator stops verifying the user: no sign-in (the browser or the API refuses it).
    await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
    await choose({ prompt: "login" });
    await p.getByRole("button", { name: "Sign in with a passkey" }).click();
    await p.getByRole("button", { name: "Use my passkey" }).click();
    await expect.poll(() => p.locator('[role="alert"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(codes).toHaveLength(2);
  });
});
