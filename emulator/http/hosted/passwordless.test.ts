// Choice-based sign-in on the managed login pages (issue 16): on a managed login domain
// (version 2), for a client with ALLOW_USER_AUTH in a pool whose sign-in policy allows more than
// the password, the username comes first, then the ways to sign in (USER_AUTH's
// SELECT_CHALLENGE): the password, an emailed or texted code from the inbox (Cognito's errors
// for a wrong or expired code, three wrong answers end the session), a passkey (the software
// authenticator of the quick tests answers the page's options), and the offer to add a passkey
// after signing in, or /passkeys/add on its own. The classic hosted UI keeps the password form.
import { afterEach, describe, expect, it } from "vitest";
import { alertOf, type Browser, type Page } from "../../../test-support/browser.js";
import { CALLBACK, type Hosted, type HostedOptions, hostedTwin } from "../../../test-support/hosted-fixtures.js";
import { SoftAuthenticator } from "../../../test-support/soft-authenticator.js";
import { ManualClock } from "../../core/clock.js";

let h: Hosted;
afterEach(async () => h?.close());

const SES = {
  EmailSendingAccount: "DEVELOPER",
  SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
  From: "no-reply@example.com",
} as const;
const SMS = { SnsCallerArn: "arn:aws:iam::123456789012:role/sns", ExternalId: "x" };
const FLOWS = ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];

type Factor = "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";

/** A pool allowing `factors` (passkeys for `localhost`), a USER_AUTH client, on a domain of `version`. */
async function twin(
  factors: Factor[],
  opts: { version?: 1 | 2; client?: Record<string, unknown>; pool?: Record<string, unknown>; clock?: ManualClock } = {},
): Promise<Hosted> {
  const options: HostedOptions = {
    pool: {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors } },
      EmailConfiguration: { ...SES },
      SmsConfiguration: SMS,
      ...opts.pool,
    },
    client: { ExplicitAuthFlows: FLOWS, ...opts.client },
    ...(opts.clock ? { clock: opts.clock } : {}),
  };
  const made = await hostedTwin(options);
  await made.api("UpdateUserPoolDomain", {
    UserPoolId: made.poolId,
    Domain: made.domain,
    ManagedLoginVersion: opts.version ?? 2,
  });
  if (factors.includes("WEB_AUTHN"))
    await made.api("SetUserPoolMfaConfig", {
      UserPoolId: made.poolId,
      WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "preferred" },
    });
  return made;
}

async function user(name: string): Promise<void> {
  await h.user(name, {
    email: `${name}@example.com`,
    email_verified: "true",
    phone_number: "+15555550123",
    phone_number_verified: "true",
  });
}

function lastCode(username: string): string {
  const code = h.twin.services.inbox.list({ userPoolId: h.poolId, username }).at(-1)?.code;
  if (!code) throw new Error(`no code for ${username}`);
  return code;
}

function expectCallback(page: Page): void {
  expect(page.status, page.body.slice(0, 300)).toBe(302);
  expect(page.location!.startsWith(`${CALLBACK}?code=`)).toBe(true);
}

/** The login page, the username posted: the choice page. */
async function choose(b: Browser, username: string, extra: Record<string, string> = {}): Promise<Page> {
  const login = await b.open(h.authorizeUrl(extra));
  expect(login.body).not.toContain('name="password"');
  return b.submit(login, { username });
}

/** The value of a data-* attribute of the passkey button, unescaped. */
function dataOf(page: Page, name: string): string {
  const m = new RegExp(`data-${name}="([^"]*)"`).exec(page.body);
  if (!m) throw new Error(`no data-${name} on ${page.url}`);
  return m[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe("emailed and texted codes", () => {
  it("signs in with an emailed code: username first, the choice, the code from the inbox, the app's code", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("otp1");
    const b = h.browser();
    const login = await b.open(h.authorizeUrl());
    expect(login.body).toContain(">Next</button>");
    expect(login.body).toContain('autocomplete="username webauthn"');
    const choice = await b.submit(login, { username: "otp1" });
    expect(choice.body).toContain("Choose how to sign in");
    expect(choice.body).toContain("Signing in as otp1.");
    expect(choice.body).toContain('value="PASSWORD"');
    expect(choice.body).toContain("Email me a sign-in code");
    // Not allowed by the pool, and no passkey: not offered.
    expect(choice.body).not.toContain("SMS_OTP");
    expect(choice.body).not.toContain("WEB_AUTHN");
    const codePage = await b.submit(choice, {}, { answer: "EMAIL_OTP" });
    expect(codePage.body).toContain("We sent a code to o***@e***");
    const code = lastCode("otp1");
    expect(code).toMatch(/^\d{8}$/);
    const wrong = await b.submit(codePage, { code: code === "00000000" ? "11111111" : "00000000" });
    expect(alertOf(wrong.body)).toBe("Invalid code or auth state for the user.");
    expectCallback(await b.submit(wrong, { code }));
  });

  it("signs in with a texted code", async () => {
    h = await twin(["PASSWORD", "SMS_OTP"]);
    await user("otp2");
    const b = h.browser();
    const choice = await choose(b, "otp2");
    expect(choice.body).toContain("Text me a sign-in code");
    const codePage = await b.submit(choice, {}, { answer: "SMS_OTP" });
    expect(codePage.body).toContain("We sent a code to +*******0123");
    expectCallback(await b.submit(codePage, { code: lastCode("otp2") }));
  });

  it("ends the session after three wrong codes, and refuses a code once it has expired", async () => {
    const clock = new ManualClock();
    h = await twin(["PASSWORD", "EMAIL_OTP"], { clock });
    await user("otp3");
    const b = h.browser();
    let page = await b.submit(await choose(b, "otp3"), {}, { answer: "EMAIL_OTP" });
    const code = lastCode("otp3");
    const wrong = code === "00000000" ? "11111111" : "00000000";
    for (let i = 0; i < 3; i++) page = await b.submit(page, { code: wrong });
    expect(page.status).toBe(200);
    page = await b.submit(page, { code });
    expect(alertOf(page.body)).toBe("Invalid session for the user.");

    page = await b.submit(await choose(b, "otp3"), {}, { answer: "EMAIL_OTP" });
    clock.advance(10 * 60);
    page = await b.submit(page, { code: lastCode("otp3") });
    expect(page.status).toBe(200);
    expect(alertOf(page.body)).toMatch(/session is expired|Invalid session/);
  });

  it("sends a new code (a new session) on Resend code, after the old one ran out of attempts too", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("otp4");
    const b = h.browser();
    let page = await b.submit(await choose(b, "otp4"), {}, { answer: "EMAIL_OTP" });
    expect(page.body).toContain('name="resend"');
    const first = lastCode("otp4");
    const wrong = first === "00000000" ? "11111111" : "00000000";
    for (let i = 0; i < 3; i++) page = await b.submit(page, { code: wrong });
    page = await b.submit(page, {}, { resend: "1" });
    expect(page.body).toContain("We sent a new code to o***@e***.");
    expect(h.twin.services.inbox.list({ userPoolId: h.poolId, username: "otp4" })).toHaveLength(2);
    expectCallback(await b.submit(page, { code: lastCode("otp4") }));
  });

  it("lets no other browser continue or resend a sign-in, even with its own CSRF token", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("otp5");
    const b = h.browser();
    const page = await b.submit(await choose(b, "otp5"), {}, { answer: "EMAIL_OTP" });
    const flow = /name="flow" value="([^"]+)"/.exec(page.body)![1]!;
    const other = h.browser();
    const otherLogin = await other.open(h.authorizeUrl());
    const csrf = /name="_csrf" value="([^"]+)"/.exec(otherLogin.body)![1]!;
    const attempts: Record<string, string>[] = [{ resend: "1" }, { code: lastCode("otp5") }];
    for (const fields of attempts) {
      const stolen = await other.post(`${h.base}/challenge`, { _csrf: csrf, flow, ...fields });
      expect(stolen.status).toBe(400);
      expect(stolen.body).toContain("belongs to another browser");
    }
    expect(h.twin.services.inbox.list({ userPoolId: h.poolId, username: "otp5" })).toHaveLength(1);
    // The browser it belongs to still can.
    expectCallback(await b.submit(page, { code: lastCode("otp5") }));
  });

  it("takes the password on the choice page, with the API's message for a wrong one", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("pw1");
    const b = h.browser();
    const choice = await choose(b, "pw1");
    const empty = await b.submit(choice, { password: "" }, { answer: "PASSWORD" });
    expect(alertOf(empty.body)).toBe("Enter your password.");
    const wrong = await b.submit(choice, { password: "Wrong-Passw0rd!" }, { answer: "PASSWORD" });
    expect(alertOf(wrong.body)).toBe("Incorrect username or password.");
    expectCallback(await b.submit(wrong, { password: "Passw0rd!" }, { answer: "PASSWORD" }));
  });

  it("answers an unknown user as the API does, and a choice not offered as a wrong answer", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("pw2");
    const b = h.browser();
    const login = await b.open(h.authorizeUrl());
    const nobody = await b.submit(login, { username: "nobody" });
    expect(alertOf(nobody.body)).toBe("User does not exist.");
    expect(alertOf((await b.submit(login, { username: "" })).body)).toBe("Enter your username.");
    const choice = await choose(b, "pw2");
    const forged = await b.submit(choice, {}, { answer: "SMS_OTP" });
    expect(forged.status).toBe(200);
    expect(alertOf(forged.body)).toContain("SMS_OTP");
  });

  it("keeps the password form on the classic hosted UI, and for a client without ALLOW_USER_AUTH", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"], { version: 1 });
    await user("v1");
    let b = h.browser();
    let login = await b.open(h.authorizeUrl());
    expect(login.body).toContain('name="password"');
    expectCallback(await b.submit(login, { username: "v1", password: "Passw0rd!" }));
    expect((await b.get(`${h.base}/passkeys/add?client_id=${h.clientId}&redirect_uri=${CALLBACK}`)).status).toBe(404);
    await h.close();

    h = await twin(["PASSWORD", "EMAIL_OTP"], { client: { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] } });
    await user("v2");
    b = h.browser();
    login = await b.open(h.authorizeUrl());
    expect(login.body).toContain('name="password"');
    expectCallback(await b.submit(login, { username: "v2", password: "Passw0rd!" }));
  });

  it("shows the choice and the code page in the language asked for", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    await user("de1");
    const b = h.browser();
    const choice = await choose(b, "de1", { lang: "de" });
    expect(choice.body).toContain('<html lang="de">');
    expect(choice.body).toContain("Anmeldecode per E-Mail senden");
    for (const english of [
      "Choose how to sign in",
      "Sign in with password",
      "Email me a sign-in code",
      "Signing in as",
    ])
      expect(choice.body).not.toContain(english);
    const codePage = await b.submit(choice, {}, { answer: "EMAIL_OTP" });
    expect(codePage.body).toContain('<html lang="de">');
  });
});

describe("passkeys", () => {
  const authenticator = () => new SoftAuthenticator({ origin: "http://localhost" });

  it("offers a passkey after a password sign-in; Not now, then adding one, then signing in with it", async () => {
    h = await twin(["PASSWORD", "WEB_AUTHN"]);
    await user("pk1");
    const b = h.browser();
    // The first sign-in: the offer, declined.
    let choice = await choose(b, "pk1");
    expect(choice.body).not.toContain("Sign in with a passkey");
    let offer = await b.submit(choice, { password: "Passw0rd!" }, { answer: "PASSWORD" });
    expect(offer.url).toContain("/passkeys/add?flow=");
    expect(offer.body).toContain("Add a passkey");
    const csp = offer.headers.get("content-security-policy")!;
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(offer.body).toContain(`<script nonce="${nonce}">`);
    expectCallback(await b.submit(offer, {}, { skip: "1" }));

    // The next sign-in (prompt=login): the offer taken.
    choice = await choose(b, "pk1", { prompt: "login" });
    offer = await b.submit(choice, { password: "Passw0rd!" }, { answer: "PASSWORD" });
    const soft = authenticator();
    const created = soft.create(JSON.parse(dataOf(offer, "options")));
    expectCallback(await b.submit(offer, { credential: JSON.stringify(created) }));
    const listed = await h.twin.services.store.getUser(h.poolId, "pk1");
    expect(listed?.webAuthnCredentials).toHaveLength(1);

    // Signing in with it: offered on the choice page, no offer after.
    choice = await choose(b, "pk1", { prompt: "login" });
    expect(choice.body).toContain("Sign in with a passkey");
    const passkey = await b.submit(choice, {}, { answer: "WEB_AUTHN" });
    expect(passkey.body).toContain("Use my passkey");
    expect(passkey.headers.get("content-security-policy")).toMatch(/script-src 'nonce-/);
    const options = JSON.parse(dataOf(passkey, "options"));
    const forged = await b.submit(passkey, { credential: JSON.stringify(soft.get(options, { badSignature: true })) });
    expect(forged.status).toBe(200);
    expect(alertOf(forged.body)).toBeDefined();
    expectCallback(await b.submit(forged, { credential: JSON.stringify(soft.get(options)) }));
  });

  it("refuses a malformed or empty credential with the page again, never a 5xx", async () => {
    h = await twin(["PASSWORD", "WEB_AUTHN"]);
    await user("pk2");
    const b = h.browser();
    const offer = await b.submit(await choose(b, "pk2"), { password: "Passw0rd!" }, { answer: "PASSWORD" });
    for (const credential of ["", "{", '{"id":1}', "[]", "x".repeat(70_000)]) {
      const page = await b.submit(offer, { credential });
      expect(page.status, credential.slice(0, 10)).toBeLessThan(500);
      if (credential.length < 70_000) expect(page.body).toContain("Add a passkey");
    }
    expect(h.twin.services.store.getUser(h.poolId, "pk2")?.webAuthnCredentials).toBeUndefined();
  });

  it("offers no passkey after sign-in in a pool that requires MFA, where it could not be used", async () => {
    h = await twin(["PASSWORD", "WEB_AUTHN"]);
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS },
      WebAuthnConfiguration: { RelyingPartyId: "localhost", UserVerification: "preferred" },
    });
    await user("pk9");
    const b = h.browser();
    const choice = await choose(b, "pk9");
    expect(choice.body).not.toContain("Sign in with a passkey");
    const mfa = await b.submit(choice, { password: "Passw0rd!" }, { answer: "PASSWORD" });
    expect(mfa.body).not.toContain("Add a passkey");
    expectCallback(await b.submit(mfa, { code: lastCode("pk9") }));
  });

  it("with passkey MFA, offers a passkey where MFA is required, and signs in with it without the code", async () => {
    h = await twin(["PASSWORD", "WEB_AUTHN"]);
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS },
      WebAuthnConfiguration: {
        RelyingPartyId: "localhost",
        FactorConfiguration: "MULTI_FACTOR_WITH_USER_VERIFICATION",
      },
    });
    await user("pk10");
    await h.api("AdminSetUserMFAPreference", {
      UserPoolId: h.poolId,
      Username: "pk10",
      SMSMfaSettings: { Enabled: true },
      WebAuthnMfaSettings: { Enabled: true },
    });
    const b = h.browser();
    // Password and SMS code, then the offer: a passkey would satisfy MFA next time.
    const mfa = await b.submit(await choose(b, "pk10"), { password: "Passw0rd!" }, { answer: "PASSWORD" });
    const offer = await b.submit(mfa, { code: lastCode("pk10") });
    expect(offer.body).toContain("Add a passkey");
    const soft = authenticator();
    expect(JSON.parse(dataOf(offer, "options")).authenticatorSelection.userVerification).toBe("required");
    expectCallback(
      await b.submit(offer, { credential: JSON.stringify(soft.create(JSON.parse(dataOf(offer, "options")))) }),
    );
    // The passkey alone signs in: no code asked for.
    const choice = await choose(b, "pk10", { prompt: "login" });
    expect(choice.body).toContain("Sign in with a passkey");
    const passkey = await b.submit(choice, {}, { answer: "WEB_AUTHN" });
    const options = JSON.parse(dataOf(passkey, "options"));
    const unverified = await b.submit(passkey, {
      credential: JSON.stringify(soft.get(options, { userVerified: false })),
    });
    expect(unverified.status).toBe(200);
    expect(alertOf(unverified.body)).toBe("Failed to verify the passkey assertion.");
    expectCallback(await b.submit(unverified, { credential: JSON.stringify(soft.get(options)) }));
  });

  it("serves /passkeys/add to a signed-in browser for a callback URL of the client", async () => {
    h = await twin(["PASSWORD", "WEB_AUTHN"]);
    await user("pk3");
    const b = h.browser();
    const add = `${h.base}/passkeys/add?${new URLSearchParams({ client_id: h.clientId, redirect_uri: CALLBACK })}`;
    const before = await b.get(add);
    expect(before.status).toBe(403);
    expect(alertOf(before.body)).toBe("invalid_request");
    expect(before.body).toContain("Sign in on this browser first");
    // Signed in (Not now), then the page an app links to.
    const offer = await b.submit(await choose(b, "pk3"), { password: "Passw0rd!" }, { answer: "PASSWORD" });
    expectCallback(await b.submit(offer, {}, { skip: "1" }));
    const elsewhere = await b.get(
      `${h.base}/passkeys/add?${new URLSearchParams({ client_id: h.clientId, redirect_uri: "https://evil.example/" })}`,
    );
    expect(elsewhere.status).toBe(400);
    const page = await b.get(add);
    expect(page.status).toBe(200);
    const created = authenticator().create(JSON.parse(dataOf(page, "options")));
    const done = await b.submit(page, { credential: JSON.stringify(created) });
    expect(done.status).toBe(302);
    expect(done.location).toBe(CALLBACK);
    expect(h.twin.services.store.getUser(h.poolId, "pk3")?.webAuthnCredentials).toHaveLength(1);
  });

  it("answers /passkeys/add with WebAuthnNotEnabledException's message in a pool without passkeys", async () => {
    h = await twin(["PASSWORD", "EMAIL_OTP"]);
    const page = await h.browser().get(`${h.base}/passkeys/add?client_id=${h.clientId}&redirect_uri=${CALLBACK}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain("WebAuthn is not enabled for this user pool.");
  });
});

describe("the two fixes", () => {
  it("names the pool's sign-in attribute in the forgot-password intro, in every language", async () => {
    h = await twin(["PASSWORD"], { pool: { UsernameAttributes: ["email"] } });
    const b = h.browser();
    const forgot = await b.get(`${h.base}/forgotPassword?${new URL(h.authorizeUrl(), "http://x").searchParams}`);
    expect(forgot.body).toContain("Enter your email and we will send you a code");
    const de = await b.get(
      `${h.base}/forgotPassword?${new URL(h.authorizeUrl({ lang: "de" }), "http://x").searchParams}`,
    );
    expect(de.body).toContain("Geben Sie Ihre E-Mail-Adresse ein.");
  });

  it("sets the language cookie when the authorize request goes straight to an identity provider", async () => {
    h = await twin(["PASSWORD"]);
    await h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: { client_id: "google-client", client_secret: "google-secret", authorize_scopes: "openid email" },
      AttributeMapping: { email: "email" },
    });
    await h.api("UpdateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      SupportedIdentityProviders: ["COGNITO", "Google"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      CallbackURLs: [CALLBACK],
      ExplicitAuthFlows: FLOWS,
    });
    const b = h.browser();
    const started = await b.get(h.authorizeUrl({ identity_provider: "Google", lang: "ja" }));
    expect(started.status).toBe(302);
    // To the provider (the emulator's Google stand-in), not to the login page.
    expect(started.location).not.toContain("/login");
    expect(b.cookies.get("cognito-lang")?.value).toBe("ja");
  });
});
