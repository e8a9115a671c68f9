// GET /confirmUser: the link of a CONFIRM_WITH_LINK sign-up email confirms the user, on both
// addressing forms, and the inbox hands out the same link on the path form (localLink).
import { afterEach, describe, expect, it } from "vitest";
import { alertOf } from "../../../test-support/browser.js";
import { type Hosted, hostedTwin, PASSWORD } from "../../../test-support/hosted-fixtures.js";

let h: Hosted;
afterEach(async () => h?.close());

const LINK_POOL = {
  VerificationMessageTemplate: {
    DefaultEmailOption: "CONFIRM_WITH_LINK",
    EmailMessageByLink: "Confirm: {##Verify Email##}",
    EmailSubjectByLink: "Your verification link",
  },
};

async function signUp(username: string): Promise<void> {
  await h.api("SignUp", {
    ClientId: h.clientId,
    Username: username,
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
  });
}

async function inbox(username: string): Promise<Record<string, string>[]> {
  const res = await h.twin.app.request(`/_twin/messages?userPoolId=${h.poolId}&username=${username}`, {
    headers: { host: "localhost:9229" },
  });
  return ((await res.json()) as { messages: Record<string, string>[] }).messages;
}

async function status(username: string): Promise<string> {
  const out = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: username });
  return out.UserStatus as string;
}

describe("GET /confirmUser", () => {
  it("confirms the sign-up by the emailed link (path form) and refuses a replay", async () => {
    h = await hostedTwin({ pool: LINK_POOL });
    await signUp("ann");
    const [message] = await inbox("ann");
    // The message stays as Cognito writes it: the domain's own host name.
    expect(message!.message).toContain(
      `href="https://${h.hostname}/confirmUser?client_id=${h.clientId}&amp;user_name=ann&amp;confirmation_code=`,
    );
    const local = message!.localLink!;
    expect(local).toBe(
      `http://localhost:9229/_domain/${h.domain}/confirmUser?client_id=${h.clientId}&user_name=ann&confirmation_code=${message!.code}`,
    );
    const path = new URL(local);
    const res = await h.twin.app.request(`${path.pathname}${path.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).toContain("Your registration has been confirmed!");
    expect(await status("ann")).toBe("CONFIRMED");
    const attrs = await h.api("AdminGetUser", { UserPoolId: h.poolId, Username: "ann" });
    expect(attrs.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });

    const again = await h.twin.app.request(`${path.pathname}${path.search}`);
    expect(again.status).toBe(400);
    const body = await again.text();
    expect(body).toContain("An error was encountered with the requested page.");
    expect(body).toContain("User cannot be confirmed. Current status is CONFIRMED");
  });

  it("answers on the Host form too, in the page's language on managed login", async () => {
    h = await hostedTwin({ pool: LINK_POOL });
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
    await signUp("bea");
    const [message] = await inbox("bea");
    const link = new URL(/href="([^"]+)"/.exec(message!.message!)![1]!.replaceAll("&amp;", "&"));
    const res = await h.twin.app.request(`${link.pathname}${link.search}&lang=de`, { headers: { host: h.hostname } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Ihre Registrierung wurde bestätigt!");
    expect(await status("bea")).toBe("CONFIRMED");
  });

  it("runs the post confirmation trigger, as ConfirmSignUp does", async () => {
    h = await hostedTwin({
      pool: {
        ...LINK_POOL,
        LambdaConfig: { PostConfirmation: "arn:aws:lambda:us-east-1:123456789012:function:post-confirm" },
      },
    });
    const seen: string[] = [];
    h.twin.triggers.set("post-confirm", async (event) => {
      seen.push(`${event.triggerSource} ${event.userName} ${event.callerContext?.clientId}`);
      return event;
    });
    await signUp("fay");
    const [message] = await inbox("fay");
    const link = new URL(message!.localLink!);
    expect((await h.twin.app.request(`${link.pathname}${link.search}`)).status).toBe(200);
    expect(seen).toEqual([`PostConfirmation_ConfirmSignUp fay ${h.clientId}`]);
  });

  it("shows the API's message for an expired or a wrong code, and leaves the user unconfirmed", async () => {
    h = await hostedTwin({ pool: LINK_POOL });
    await signUp("cy");
    const [message] = await inbox("cy");
    const code = message!.code!;
    const wrong = code === "000000" ? "111111" : "000000";
    const bad = await h.twin.app.request(
      `${h.base}/confirmUser?client_id=${h.clientId}&user_name=cy&confirmation_code=${wrong}`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Invalid verification code provided, please try again.");
    h.twin.services.clock.advance(25 * 3600);
    const expired = await h.twin.app.request(
      `${h.base}/confirmUser?client_id=${h.clientId}&user_name=cy&confirmation_code=${code}`,
    );
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("Invalid code provided, please request a code again.");
    expect(await status("cy")).toBe("UNCONFIRMED");
  });

  it("uses the client's secret for a confidential client", async () => {
    h = await hostedTwin({ pool: LINK_POOL, client: { GenerateSecret: true } });
    const client = await h.api("DescribeUserPoolClient", { UserPoolId: h.poolId, ClientId: h.clientId });
    const secret = (client.UserPoolClient as { ClientSecret: string }).ClientSecret;
    const { createHmac } = await import("node:crypto");
    await h.api("SignUp", {
      ClientId: h.clientId,
      Username: "dee",
      Password: PASSWORD,
      SecretHash: createHmac("sha256", secret).update(`dee${h.clientId}`).digest("base64"),
      UserAttributes: [{ Name: "email", Value: "dee@example.com" }],
    });
    const [message] = await inbox("dee");
    const res = await h.twin.app.request(new URL(message!.localLink!).pathname + new URL(message!.localLink!).search);
    expect(res.status).toBe(200);
    expect(await status("dee")).toBe("CONFIRMED");
  });

  it("answers bad links with the error page, never a 5xx, and escapes what it reflects", async () => {
    h = await hostedTwin({ pool: LINK_POOL });
    const cases: [string, number, string][] = [
      ["", 400, "This confirmation link is not valid"],
      [`client_id=${h.clientId}&user_name=x`, 400, "This confirmation link is not valid"],
      [
        `client_id=${h.clientId}&client_id=x&user_name=x&confirmation_code=1`,
        400,
        "This confirmation link is not valid",
      ],
      ["client_id=%3Cscript%3E&user_name=x&confirmation_code=123456", 400, "no app client &lt;script&gt;"],
      [`client_id=${h.clientId}&user_name=nobody&confirmation_code=123456`, 400, "User does not exist."],
      [`client_id=${h.clientId}&user_name=x&confirmation_code=%3Cb%3E`, 400, "User does not exist."],
      [`client_id=${h.clientId}&user_name=%ZZ&confirmation_code=1`, 400, ""],
    ];
    for (const [query, code, text] of cases) {
      const res = await h.twin.app.request(`${h.base}/confirmUser?${query}`);
      const body = await res.text();
      expect(res.status, query).toBe(code);
      expect(body, query).toContain(text);
      expect(body, query).not.toContain("<script>");
      expect(body, query).not.toContain("<b>");
    }
    const post = await h.twin.app.request(`${h.base}/confirmUser`, { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("writes localLink on publicUrl when the emulator has one", async () => {
    h = await hostedTwin({ pool: LINK_POOL, config: { publicUrl: "https://twin.example.test/" } });
    await signUp("gus");
    const [message] = await inbox("gus");
    expect(message!.localLink).toMatch(
      new RegExp(
        `^https://twin\\.example\\.test/_domain/${h.domain}/confirmUser\\?client_id=${h.clientId}&user_name=gus&`,
      ),
    );
  });

  it("adds no localLink to a message without a confirmation link", async () => {
    h = await hostedTwin();
    await signUp("eve");
    const [message] = await inbox("eve");
    expect(message!.code).toMatch(/^\d{6}$/);
    expect(message).not.toHaveProperty("localLink");
  });
});

describe("sign-up pages in a passwordless pool (issue 16)", () => {
  it("still require a password on managed login, though the API takes SignUp without one", async () => {
    h = await hostedTwin({
      pool: {
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "EMAIL_OTP"] } },
        EmailConfiguration: {
          EmailSendingAccount: "DEVELOPER",
          SourceArn: "arn:aws:ses:us-east-1:123456789012:identity/no-reply@example.com",
          From: "no-reply@example.com",
        },
      },
      client: { ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
    });
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ state: "s" }));
    const signupHref = /href="([^"]*\/signup[^"]*)"/.exec(login.body)![1]!.replace(/&amp;/g, "&");
    const signup = await browser.open(signupHref);
    expect(signup.status).toBe(200);
    const blank = await browser.submit(signup, { username: "pat", password: "", "attr.email": "pat@example.com" });
    expect(blank.status).toBe(200);
    expect(alertOf(blank.body)).toBe("Enter your password.");
    expect(blank.body).toContain('value="pat@example.com"');
    const listed = await h.api("ListUsers", { UserPoolId: h.poolId });
    expect(listed.Users).toEqual([]);
  });
});
