// The managed login pages beyond the password: sign-up with its confirmation code, forgotten
// passwords, and the challenges (new password, TOTP, SMS and email codes, choosing a factor,
// setting up an authenticator) answered on pages, for public and confidential clients.
import { afterEach, describe, expect, it } from "vitest";
import { alertOf, type Browser, type Page } from "../../../test-support/browser.js";
import {
  CALLBACK,
  callbackQuery,
  type Hosted,
  hostedTwin,
  PASSWORD,
  postForm,
} from "../../../test-support/hosted-fixtures.js";
import { totpCode } from "../../crypto/totp.js";
import { cloneUser } from "../../domain/users/records.js";

let h: Hosted;
afterEach(async () => h?.close());

function lastCode(username: string): string {
  const messages = h.twin.services.inbox.list({ userPoolId: h.poolId, username });
  const code = messages.at(-1)?.code;
  if (!code) throw new Error(`no code for ${username}`);
  return code;
}

async function redeem(location: string | undefined) {
  const res = await postForm(h.twin, `${h.base}/oauth2/token`, {
    grant_type: "authorization_code",
    client_id: h.clientId,
    code: callbackQuery(location).get("code")!,
    redirect_uri: CALLBACK,
  });
  expect(res.status).toBe(200);
  return res.body;
}

function expectCallback(page: Page): void {
  expect(page.status).toBe(302);
  expect(page.location!.startsWith(`${CALLBACK}?code=`)).toBe(true);
}

async function loginPage(browser: Browser): Promise<Page> {
  const page = await browser.open(h.authorizeUrl({ state: "s" }));
  expect(page.status).toBe(200);
  return page;
}

describe("sign-up", () => {
  it("signs up with the pool's required attributes, confirms with the code, and lands signed in", async () => {
    h = await hostedTwin({
      pool: {
        Schema: [{ Name: "given_name", Required: true, Mutable: true, AttributeDataType: "String" }],
      },
    });
    const browser = h.browser();
    const login = await loginPage(browser);
    const signupHref = /href="([^"]*\/signup[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
    const signup = await browser.open(signupHref);
    expect(signup.body).toContain('<label for="f-attr.given_name">Given name</label>');
    expect(signup.body).toContain('<label for="f-attr.email">Email</label>');
    // The API's own rules and messages: a weak password.
    const weak = await browser.submit(signup, { username: "zoe", password: "short", "attr.given_name": "Zoe" });
    expect(alertOf(weak.body)).toMatch(/^Password did not conform with policy: Password not long enough/);
    expect(weak.body).toContain('value="Zoe"');
    const missing = await browser.submit(weak, {
      username: "zoe",
      password: PASSWORD,
      "attr.email": "zoe@example.com",
    });
    expect(alertOf(missing.body)).toBe("Invalid attributes given, given_name is missing");
    const confirm = await browser.submit(missing, {
      username: "zoe",
      password: PASSWORD,
      "attr.given_name": "Zoe",
      "attr.email": "zoe@example.com",
    });
    expect(confirm.url).toContain("/confirm?flow=");
    expect(confirm.body).toContain("z***@e***");
    const wrong = await browser.submit(confirm, { code: "000000" });
    expect(alertOf(wrong.body)).toBe("Invalid verification code provided, please try again.");
    const resent = await browser.submit(wrong, {}, { resend: "1" });
    expect(resent.body).toContain("We sent a new code");
    const done = await browser.submit(resent, { code: lastCode("zoe") });
    expectCallback(done);
    expect(callbackQuery(done.location).get("state")).toBe("s");
    const tokens = await redeem(done.location);
    const id = JSON.parse(Buffer.from((tokens.id_token as string).split(".")[1]!, "base64url").toString()) as Record<
      string,
      unknown
    >;
    expect(id.given_name).toBe("Zoe");
    expect(id.email_verified).toBe(true);
  });

  it("an unconfirmed user who signs in is sent a code and can confirm, then signs in", async () => {
    h = await hostedTwin();
    await h.api("SignUp", {
      ClientId: h.clientId,
      Username: "una",
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "una@example.com" }],
    });
    const browser = h.browser();
    const confirm = await browser.submit(await loginPage(browser), { username: "una", password: PASSWORD });
    expect(confirm.url).toContain("/confirm?flow=");
    const login = await browser.submit(confirm, { code: lastCode("una") });
    expect(login.status).toBe(200);
    expect(login.body).toContain("Your account is confirmed");
    expectCallback(await browser.submit(login, { username: "una", password: PASSWORD }));
  });

  it("is not offered where only administrators create users", async () => {
    h = await hostedTwin({ pool: { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } } });
    const browser = h.browser();
    const login = await loginPage(browser);
    expect(login.body).not.toContain("/signup");
    const q = new URL(login.url).search;
    expect((await browser.get(`${h.base}/signup${q}`)).status).toBe(400);
  });
});

describe("forgot password", () => {
  it("sends a code, takes it with a new password, and the new password signs in", async () => {
    h = await hostedTwin();
    await h.user("ann");
    const browser = h.browser();
    const login = await loginPage(browser);
    const forgotHref = /href="([^"]*\/forgotPassword[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
    const forgot = await browser.open(forgotHref);
    const reset = await browser.submit(forgot, { username: "ann" });
    expect(reset.url).toContain("/confirmForgotPassword?flow=");
    const mismatch = await browser.submit(reset, { code: "1", password: "N3w-Passw0rd!", confirm: "other" });
    expect(alertOf(mismatch.body)).toBe("The passwords do not match.");
    const wrong = await browser.submit(mismatch, {
      code: "000000",
      password: "N3w-Passw0rd!",
      confirm: "N3w-Passw0rd!",
    });
    expect(alertOf(wrong.body)).toBe("Invalid verification code provided, please try again.");
    const back = await browser.submit(wrong, {
      code: lastCode("ann"),
      password: "N3w-Passw0rd!",
      confirm: "N3w-Passw0rd!",
    });
    expect(back.body).toContain("Your password was changed");
    const old = await browser.submit(back, { username: "ann", password: PASSWORD });
    expect(alertOf(old.body)).toBe("Incorrect username or password.");
    expectCallback(await browser.submit(old, { username: "ann", password: "N3w-Passw0rd!" }));
  });

  it("shows the API's message for an unknown user", async () => {
    h = await hostedTwin();
    const browser = h.browser();
    const forgot = await browser.open(`${h.base}/forgotPassword${new URL((await loginPage(browser)).url).search}`);
    const again = await browser.submit(forgot, { username: "nobody" });
    expect(alertOf(again.body)).toBe("Username/client id combination not found.");
  });
});

describe("challenges on pages", () => {
  it("NEW_PASSWORD_REQUIRED with a required attribute, for a confidential client", async () => {
    h = await hostedTwin({
      pool: { Schema: [{ Name: "family_name", Required: true, Mutable: true, AttributeDataType: "String" }] },
      client: { GenerateSecret: true },
    });
    await h.api("AdminCreateUser", {
      UserPoolId: h.poolId,
      Username: "tom",
      TemporaryPassword: "Temp-Passw0rd!",
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "tom@example.com" }],
    });
    const browser = h.browser();
    const challenge = await browser.submit(await loginPage(browser), { username: "tom", password: "Temp-Passw0rd!" });
    expect(challenge.url).toContain("/challenge?flow=");
    expect(challenge.body).toContain("Change your password");
    expect(challenge.body).toContain('<label for="f-userAttributes.family_name">Family name</label>');
    const weak = await browser.submit(challenge, {
      password: "weak",
      confirm: "weak",
      "userAttributes.family_name": "Tee",
    });
    expect(alertOf(weak.body)).toMatch(/^Password does not conform to policy/);
    const done = await browser.submit(weak, {
      password: "N3w-Passw0rd!",
      confirm: "N3w-Passw0rd!",
      "userAttributes.family_name": "Tee",
    });
    expect(done.status).toBe(302);
    expect(done.location!.startsWith(`${CALLBACK}?code=`)).toBe(true);
    // The challenge's API session was not left behind: only the code exists.
    const user = h.twin.services.store.getUser(h.poolId, "tom")!;
    expect(user.status).toBe("CONFIRMED");
    expect(h.twin.services.store.sessionsOf(h.poolId, user.sub)).toHaveLength(0);
  });

  it("SOFTWARE_TOKEN_MFA at sign-in", async () => {
    h = await hostedTwin();
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await h.user("ann");
    // An authenticator already verified for the user (as AssociateSoftwareToken and VerifySoftwareToken leave it).
    const user = h.twin.services.store.getUser(h.poolId, "ann")!;
    const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    const next = cloneUser(user);
    next.mfa = { ...next.mfa, totp: true, totpSecret: secret, preferred: "SOFTWARE_TOKEN_MFA" };
    h.twin.services.store.putUser(next);
    const browser = h.browser();
    const challenge = await browser.submit(await loginPage(browser), { username: "ann", password: PASSWORD });
    expect(challenge.body).toContain("authenticator");
    const wrong = await browser.submit(challenge, { code: "000000" });
    expect(alertOf(wrong.body)).toBe("Invalid code received for user");
    const done = await browser.submit(wrong, { code: totpCode(secret, h.twin.services.clock.now()) });
    expectCallback(done);
  });

  it("MFA_SETUP: shows the secret and its QR code, verifies a code, and signs in", async () => {
    h = await hostedTwin();
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await h.user("ann");
    const browser = h.browser();
    const setup = await browser.submit(await loginPage(browser), { username: "ann", password: PASSWORD });
    expect(setup.body).toContain("Set up an authenticator app");
    expect(setup.body).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/);
    const svg = Buffer.from(/src="data:image\/svg\+xml;base64,([^"]+)"/.exec(setup.body)![1]!, "base64").toString();
    expect(svg.startsWith("<svg")).toBe(true);
    const secret = /<span class="secret">([A-Z2-7]+)<\/span>/.exec(setup.body)![1]!;
    // Reloading the page keeps the same secret.
    const reloaded = await browser.get(setup.url);
    expect(/<span class="secret">([A-Z2-7]+)<\/span>/.exec(reloaded.body)?.[1]).toBe(secret);
    const wrong = await browser.submit(setup, { code: "000000" });
    expect(alertOf(wrong.body)).toBe("Code mismatch and fail enable Software Token MFA");
    const done = await browser.submit(wrong, { code: totpCode(secret, h.twin.services.clock.now()), device: "phone" });
    expectCallback(done);
    const user = h.twin.services.store.getUser(h.poolId, "ann")!;
    expect(user.mfa.totp).toBe(true);
    expect(user.mfa.totpDeviceName).toBe("phone");
  });

  it("EMAIL_OTP and SMS_MFA codes go to the inbox; SELECT_MFA_TYPE chooses between them", async () => {
    h = await hostedTwin();
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "OPTIONAL",
      SmsMfaConfiguration: { SmsConfiguration: { SnsCallerArn: "arn:aws:iam::123456789012:role/sns" } },
      EmailMfaConfiguration: { Message: "Your code is {####}", Subject: "Code" },
    });
    await h.user("ann", {
      email: "ann@example.com",
      email_verified: "true",
      phone_number: "+15555550100",
      phone_number_verified: "true",
    });
    const user = h.twin.services.store.getUser(h.poolId, "ann")!;
    const next = cloneUser(user);
    next.mfa = { ...next.mfa, sms: true, email: true };
    h.twin.services.store.putUser(next);
    const browser = h.browser();
    const select = await browser.submit(await loginPage(browser), { username: "ann", password: PASSWORD });
    expect(select.body).toContain("Choose how to verify it is you");
    expect(select.body).toContain('<label for="f-answer-0">');
    const email = await browser.submit(select, { answer: "EMAIL_OTP" });
    expect(email.body).toContain("We sent a code to");
    const wrong = await browser.submit(email, { code: "00000000" });
    expect(alertOf(wrong.body)).toBe("Invalid code or auth state for the user.");
    const done = await browser.submit(wrong, { code: lastCode("ann") });
    expectCallback(done);

    // SMS as the preferred factor.
    const current = h.twin.services.store.getUser(h.poolId, "ann")!;
    const preferSms = cloneUser(current);
    preferSms.mfa.preferred = "SMS_MFA";
    h.twin.services.store.putUser(preferSms);
    const other = h.browser();
    const sms = await other.submit(await loginPage(other), { username: "ann", password: PASSWORD });
    expect(sms.body).toContain("+*******0100");
    expectCallback(await other.submit(sms, { code: lastCode("ann") }));
  });

  it("a challenge page belongs to the browser that signed in", async () => {
    h = await hostedTwin();
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await h.user("ann");
    const browser = h.browser();
    const setup = await browser.submit(await loginPage(browser), { username: "ann", password: PASSWORD });
    const thief = h.browser();
    const stolen = await thief.get(setup.url);
    expect(stolen.status).toBe(400);
    expect(stolen.body).not.toContain('class="secret"');
  });
});

// `lang` and the pages' languages: i18n.test.ts.
