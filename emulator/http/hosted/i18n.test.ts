// The languages of the managed login pages: `lang` on a managed login domain (version 2) picks
// one of Cognito's, kept in a cookie and through every page of a sign-in; an unknown code falls
// back; the classic hosted UI (version 1) is English whatever is asked; the API's messages stay
// English; everything filled into a translation is still escaped.
import { afterEach, describe, expect, it } from "vitest";
import { alertOf, type Browser, type Page } from "../../../test-support/browser.js";
import { CALLBACK, type Hosted, hostedTwin, PASSWORD } from "../../../test-support/hosted-fixtures.js";
import { totpCode } from "../../crypto/totp.js";
import { cloneUser } from "../../domain/users/records.js";
import { LANGUAGES, type Language, languageOf, t } from "./i18n.js";
import { en, type MessageKey } from "./messages/en.js";

let h: Hosted;
afterEach(async () => h?.close());

const KEYS = Object.keys(en) as MessageKey[];

/** The `{name}`s of a text, sorted. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** A pool on a managed login domain (ManagedLoginVersion 2), or the classic hosted UI (1). */
async function twinOn(version: 1 | 2, options: Parameters<typeof hostedTwin>[0] = {}): Promise<Hosted> {
  const twin = await hostedTwin(options);
  await twin.api("UpdateUserPoolDomain", {
    UserPoolId: twin.poolId,
    Domain: twin.domain,
    ManagedLoginVersion: version,
  });
  return twin;
}

function expectCallback(page: Page): void {
  expect(page.status).toBe(302);
  expect(page.location!.startsWith(`${CALLBACK}?code=`)).toBe(true);
}

function link(page: Page, path: string): string {
  const m = new RegExp(`href="([^"]*${path}[^"]*)"`).exec(page.body);
  if (!m) throw new Error(`no link to ${path}`);
  return m[1]!.replace(/&amp;/g, "&");
}

function lastCode(username: string): string {
  const code = h.twin.services.inbox.list({ userPoolId: h.poolId, username }).at(-1)?.code;
  if (!code) throw new Error(`no code for ${username}`);
  return code;
}

function htmlLang(page: Page): string | undefined {
  return /<html lang="([^"]*)">/.exec(page.body)?.[1];
}

/**
 * No English message of ours on a page in `lang`: every word went through t(). The page's text,
 * alt texts and ARIA labels are searched (not its markup, links or style sheet), for the texts
 * that differ from the language's own and are long enough to mean something.
 */
function expectNoEnglish(page: Page, lang: Language): void {
  const labels = [...page.body.matchAll(/(?:alt|aria-label)="([^"]*)"/g)].map((m) => m[1]);
  const text = page.body.replace(/<style>[\s\S]*?<\/style>/, "").replace(/<[^>]*>/g, " ");
  const body = [text, ...labels]
    .join(" ")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
  for (const key of KEYS) {
    const english = en[key].replace(/\{\w+\}.*$/, "");
    if (english.length < 5 || english === t(lang, key).replace(/\{\w+\}.*$/, "")) continue;
    expect(body, `${lang} page ${page.url} has the English "${english}" (${key})`).not.toContain(english);
  }
}

describe("the messages", () => {
  it("every language has every message, with the same placeholders, and its own words", () => {
    expect(LANGUAGES).toEqual(["de", "en", "es", "fr", "id", "it", "ja", "ko", "pt-BR", "zh-CN", "zh-TW"]);
    for (const lang of LANGUAGES) {
      let own = 0;
      for (const key of KEYS) {
        const text = t(lang, key);
        expect(text.trim(), `${lang} ${key}`).not.toBe("");
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key]));
        if (text !== en[key]) own++;
      }
      // A few words are the same in some languages ("Code", "Email", "Name"), never most.
      if (lang !== "en") expect(own, lang).toBeGreaterThan(KEYS.length * 0.85);
    }
  });

  it("fills placeholders with the values as given, once, without reading them as patterns", () => {
    expect(t("de", "codeSentTo", { destination: "a***@e***" })).toBe("Wir haben einen Code an a***@e*** gesendet.");
    // A value that looks like a placeholder or a replacement pattern stays as it is.
    expect(t("en", "codeSentTo", { destination: "{destination} $& $1" })).toBe(
      "We sent a code to {destination} $& $1.",
    );
    expect(t("ja", "continueWith", { provider: "Google" })).toBe("Google で続行");
  });

  it("knows the codes of managed login, in any case, and nothing else", () => {
    expect(languageOf("de")).toBe("de");
    expect(languageOf("pt-br")).toBe("pt-BR");
    expect(languageOf("ZH-tw")).toBe("zh-TW");
    for (const other of ["", "pt", "zh", "en-US", "de-DE", "pt_BR", "xx", "<b>", undefined])
      expect(languageOf(other), String(other)).toBeUndefined();
  });
});

describe("lang on managed login (version 2)", () => {
  it("shows the login page in the language asked for, with <html lang> and the links keeping it", async () => {
    h = await twinOn(2);
    await h.user("ann");
    const german = await h.browser().open(h.authorizeUrl({ lang: "de", state: "s" }));
    expect(german.status).toBe(200);
    expect(htmlLang(german)).toBe("de");
    expect(german.body).toContain("<title>Anmelden - Hosted Test Pool</title>");
    expect(german.body).toContain('<label for="f-username">Benutzername</label>');
    expect(german.body).toContain('<label for="f-password">Passwort</label>');
    expect(german.body).toContain(">Passwort vergessen?</a>");
    expect(german.body).toContain(">Registrieren</a>");
    expect(link(german, "/forgotPassword")).toContain("lang=de");
    expectNoEnglish(german, "de");

    const japanese = await h.browser().open(h.authorizeUrl({ lang: "ja", state: "s" }));
    expect(htmlLang(japanese)).toBe("ja");
    expect(japanese.body).toContain("<h1>サインイン</h1>");
    expect(japanese.body).toContain('<label for="f-password">パスワード</label>');
    expectNoEnglish(japanese, "ja");

    // Every other language has its page too.
    for (const lang of LANGUAGES) {
      const page = await h.browser().open(h.authorizeUrl({ lang }));
      expect(htmlLang(page), lang).toBe(lang);
      expect(page.body, lang).toContain(`<h1>${t(lang, "signInTitle")}</h1>`);
    }
  });

  it("keeps the API's messages as Cognito's, around them the page's own words translated", async () => {
    h = await twinOn(2);
    await h.user("ann");
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ lang: "fr", state: "s" }));
    const wrong = await browser.submit(login, { username: "ann", password: "wrong-Passw0rd" });
    expect(alertOf(wrong.body)).toBe("Incorrect username or password.");
    expect(htmlLang(wrong)).toBe("fr");
    expect(wrong.body).toContain("<h1>Se connecter</h1>");
    const empty = await browser.submit(wrong, { username: "", password: "" });
    expect(alertOf(empty.body)).toBe("Saisissez votre nom d'utilisateur et votre mot de passe.");
    expectCallback(await browser.submit(empty, { username: "ann", password: PASSWORD }));
  });

  it("falls back for a code managed login does not have: the cookie's language, else English", async () => {
    h = await twinOn(2);
    for (const lang of ["xx", "en-US", "pt", "", "de-DE"]) {
      const browser = h.browser();
      const page = await browser.open(h.authorizeUrl({ lang }));
      expect(page.status, lang).toBe(200);
      expect(htmlLang(page), lang).toBe("en");
      expect(page.body).toContain("Forgot your password?");
      expect(browser.cookies.has("cognito-lang"), lang).toBe(false);
    }
    // Any case of a code is that code.
    expect(htmlLang(await h.browser().open(h.authorizeUrl({ lang: "pt-br" })))).toBe("pt-BR");
    // With a language chosen before, an unknown code leaves it as it was.
    const browser = h.browser();
    await browser.open(h.authorizeUrl({ lang: "it" }));
    const unknown = await browser.open(h.authorizeUrl({ lang: "xx" }));
    expect(htmlLang(unknown)).toBe("it");
    expect(browser.cookies.get("cognito-lang")?.value).toBe("it");
  });

  it("remembers the language in a cookie until another lang is asked for", async () => {
    h = await twinOn(2);
    const browser = h.browser();
    // Set at the authorize request already, scoped to the domain's base, lasting beyond the session.
    const authorize = await browser.get(h.authorizeUrl({ lang: "es" }));
    expect(authorize.status).toBe(302);
    const cookie = authorize.headers.getSetCookie().find((c) => c.startsWith("cognito-lang="));
    expect(cookie).toMatch(/^cognito-lang=es; Max-Age=31536000; Path=\/_domain\/[^;]+; HttpOnly; SameSite=Lax$/);
    // A later request without lang: still Spanish.
    const later = await browser.open(h.authorizeUrl());
    expect(htmlLang(later)).toBe("es");
    expect(later.body).toContain("<h1>Iniciar sesión</h1>");
    // lang=en, or any other language, replaces it.
    expect(htmlLang(await browser.open(h.authorizeUrl({ lang: "en" })))).toBe("en");
    expect(htmlLang(await browser.open(h.authorizeUrl()))).toBe("en");
    expect(htmlLang(await browser.open(h.authorizeUrl({ lang: "ko" })))).toBe("ko");
    expect(htmlLang(await browser.open(h.authorizeUrl()))).toBe("ko");
    // Another browser has its own.
    expect(htmlLang(await h.browser().open(h.authorizeUrl()))).toBe("en");
  });

  it("carries the language through sign-up and its confirmation code", async () => {
    h = await twinOn(2);
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ lang: "ko", state: "s" }));
    // The pages of a sign-in keep the request's language even without the cookie.
    browser.cookies.delete("cognito-lang");
    const signup = await browser.open(link(login, "/signup"));
    expect(htmlLang(signup)).toBe("ko");
    expect(signup.body).toContain("<h1>가입</h1>");
    expect(signup.body).toContain('<label for="f-attr.email">이메일</label>');
    expectNoEnglish(signup, "ko");
    browser.cookies.delete("cognito-lang");
    const confirm = await browser.submit(signup, {
      username: "zoe",
      password: PASSWORD,
      "attr.email": "zoe@example.com",
    });
    expect(confirm.url).toContain("/confirm?flow=");
    expect(confirm.url).not.toContain("lang=");
    expect(htmlLang(confirm)).toBe("ko");
    expect(confirm.body).toContain("z***@e***(으)로 코드를 보냈습니다.");
    expectNoEnglish(confirm, "ko");
    browser.cookies.delete("cognito-lang");
    const resent = await browser.submit(confirm, {}, { resend: "1" });
    expect(resent.body).toContain('<p class="notice" role="status">z***@e***(으)로 새 코드를 보냈습니다.</p>');
    const wrong = await browser.submit(resent, { code: "000000" });
    // The API's message, on a Korean page.
    expect(alertOf(wrong.body)).toBe("Invalid verification code provided, please try again.");
    expect(htmlLang(wrong)).toBe("ko");
    expectCallback(await browser.submit(wrong, { code: lastCode("zoe") }));
  });

  it("carries the language through a forgotten password", async () => {
    h = await twinOn(2);
    await h.user("ann");
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ lang: "zh-CN" }));
    const forgot = await browser.open(link(login, "/forgotPassword"));
    expect(htmlLang(forgot)).toBe("zh-CN");
    expect(forgot.body).toContain("<h1>忘记密码？</h1>");
    expectNoEnglish(forgot, "zh-CN");
    const reset = await browser.submit(forgot, { username: "ann" });
    expect(reset.url).toContain("/confirmForgotPassword?flow=");
    expect(reset.body).toContain("<h1>重置密码</h1>");
    expectNoEnglish(reset, "zh-CN");
    const mismatch = await browser.submit(reset, {
      code: lastCode("ann"),
      password: "N3w-Passw0rd!",
      confirm: "other",
    });
    expect(alertOf(mismatch.body)).toBe("两次输入的密码不一致。");
    const done = await browser.submit(mismatch, {
      code: lastCode("ann"),
      password: "N3w-Passw0rd!",
      confirm: "N3w-Passw0rd!",
    });
    expect(htmlLang(done)).toBe("zh-CN");
    expect(done.body).toContain('<p class="notice" role="status">您的密码已更改。请使用新密码登录。</p>');
    expectNoEnglish(done, "zh-CN");
  });

  it("translates the challenge pages: new password, authenticator setup and code, choosing a factor", async () => {
    h = await twinOn(2, {
      pool: { Schema: [{ Name: "family_name", Required: true, Mutable: true, AttributeDataType: "String" }] },
    });
    await h.api("AdminCreateUser", {
      UserPoolId: h.poolId,
      Username: "tom",
      TemporaryPassword: "Temp-Passw0rd!",
      MessageAction: "SUPPRESS",
      UserAttributes: [{ Name: "email", Value: "tom@example.com" }],
    });
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ lang: "zh-TW" }));
    const change = await browser.submit(login, { username: "tom", password: "Temp-Passw0rd!" });
    expect(change.body).toContain("<h1>變更密碼</h1>");
    expect(change.body).toContain('<label for="f-userAttributes.family_name">姓氏</label>');
    expectNoEnglish(change, "zh-TW");
    const mismatch = await browser.submit(change, { password: "N3w-Passw0rd!", confirm: "x" });
    expect(alertOf(mismatch.body)).toBe("兩次輸入的密碼不相符。");

    // An authenticator to set up, then its code at the next sign-in.
    await h.api("SetUserPoolMfaConfig", {
      UserPoolId: h.poolId,
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await h.user("ann", { email: "ann@example.com", email_verified: "true", family_name: "A" });
    const other = h.browser();
    const setup = await other.submit(await other.open(h.authorizeUrl({ lang: "it" })), {
      username: "ann",
      password: PASSWORD,
    });
    expect(htmlLang(setup)).toBe("it");
    expect(setup.body).toContain("<h1>Configura un&#39;app di autenticazione</h1>");
    expect(setup.body).toContain('alt="Codice QR del segreto dell&#39;autenticatore"');
    expectNoEnglish(setup, "it");
    const secret = /<span class="secret">([A-Z2-7]+)<\/span>/.exec(setup.body)![1]!;
    expectCallback(
      await other.submit(setup, { code: totpCode(secret, h.twin.services.clock.now()), device: "<b>phone</b>" }),
    );
    const third = h.browser();
    const totp = await third.submit(await third.open(h.authorizeUrl({ lang: "id" })), {
      username: "ann",
      password: PASSWORD,
    });
    expect(htmlLang(totp)).toBe("id");
    expect(totp.body).toContain("<h1>Masukkan kode autentikator Anda</h1>");
    expectNoEnglish(totp, "id");
    // What fills a translation is escaped like everything else.
    expect(totp.body).toContain(
      "<p>Masukkan kode enam digit dari aplikasi autentikator Anda (&lt;b&gt;phone&lt;/b&gt;).</p>",
    );
    expect(totp.body).not.toContain("<b>phone</b>");
    expectCallback(await third.submit(totp, { code: totpCode(secret, h.twin.services.clock.now() + 30_000) }));
  });

  it("translates the factor choice (SELECT_MFA_TYPE) and the code sent page", async () => {
    h = await twinOn(2);
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
    const next = cloneUser(h.twin.services.store.getUser(h.poolId, "ann")!);
    next.mfa = { ...next.mfa, sms: true, email: true };
    h.twin.services.store.putUser(next);
    const browser = h.browser();
    const select = await browser.submit(await browser.open(h.authorizeUrl({ lang: "pt-BR" })), {
      username: "ann",
      password: PASSWORD,
    });
    expect(select.body).toContain("<h1>Escolha como confirmar sua identidade</h1>");
    expect(select.body).toContain("Mensagem de texto (SMS)");
    expectNoEnglish(select, "pt-BR");
    const email = await browser.submit(select, { answer: "EMAIL_OTP" });
    expect(email.body).toContain("<h1>Digite o código que enviamos para você</h1>");
    expectNoEnglish(email, "pt-BR");
    expectCallback(await browser.submit(email, { code: lastCode("ann") }));
  });

  it("translates the error pages, taking the language from the query or the cookie", async () => {
    h = await twinOn(2);
    const browser = h.browser();
    const login = await browser.open(h.authorizeUrl({ lang: "de" }));
    // A forged CSRF token: the 403 page in German (the cookie; the form's action keeps lang too).
    const forged = await browser.submit(login, { _csrf: "forged", username: "ann", password: PASSWORD });
    expect(forged.status).toBe(403);
    expect(htmlLang(forged)).toBe("de");
    expect(forged.body).toContain("<h1>Bei der angeforderten Seite ist ein Fehler aufgetreten.</h1>");
    expect(forged.body).toContain("Dieses Formular ist abgelaufen");
    expectNoEnglish(forged, "de");
    // An expired or foreign sign-in, from the cookie alone.
    const expired = await browser.get(`${h.base}/challenge?flow=${"x".repeat(32)}`);
    expect(htmlLang(expired)).toBe("de");
    expect(expired.body).toContain("Diese Anmeldung ist abgelaufen");
    // No page, no method: from the query, in a browser without the cookie.
    const missing = await h.browser().get(`${h.base}/nowhere?lang=ja`);
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("このページは存在しません。");
    const method = await h.browser().fetch(`${h.base}/login?lang=fr`, { method: "PUT" });
    expect(method.status).toBe(405);
    expect(method.body).toContain("Cette page n&#39;accepte que GET, POST.");
    // A bad authorize request: the page's words translated, the protocol's description as it is.
    const bad = await h.browser().get(`${h.base}/oauth2/authorize?lang=es&response_type=code&client_id=nobody`);
    expect(htmlLang(bad)).toBe("es");
    expect(bad.body).toContain("<h1>Se ha producido un error en la página solicitada.</h1>");
    expect(bad.body).toContain("no app client nobody in this user pool");
  });

  it("escapes markup in lang and in everything a translation is filled with", async () => {
    h = await twinOn(2);
    await h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: { client_id: "123.apps.googleusercontent.com", client_secret: "s", authorize_scopes: "openid" },
    });
    await h.api("CreateIdentityProvider", {
      UserPoolId: h.poolId,
      ProviderName: '<b>"Corp"</b>',
      ProviderType: "OIDC",
      ProviderDetails: {
        client_id: "corp",
        client_secret: "s",
        authorize_scopes: "openid",
        oidc_issuer: "https://idp.example.com",
        authorize_url: "https://idp.example.com/authorize",
        token_url: "https://idp.example.com/token",
        attributes_url: "https://idp.example.com/userinfo",
        jwks_uri: "https://idp.example.com/jwks",
        attributes_request_method: "GET",
      },
    });
    await h.api("UpdateUserPoolClient", {
      UserPoolId: h.poolId,
      ClientId: h.clientId,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: [CALLBACK],
      SupportedIdentityProviders: ["COGNITO", "Google", '<b>"Corp"</b>'],
    });
    const hostile = '"><script>alert(1)</script>';
    const browser = h.browser();
    const page = await browser.open(h.authorizeUrl({ lang: hostile }));
    expect(page.status).toBe(200);
    expect(htmlLang(page)).toBe("en");
    expect(page.body).not.toContain("<script>");
    expect(browser.cookies.has("cognito-lang")).toBe(false);
    // The providers' buttons: their names filled into the translation, escaped.
    const german = await h.browser().open(h.authorizeUrl({ lang: "de" }));
    expect(german.body).toContain(">Weiter mit Google</a>");
    expect(german.body).toContain(">Weiter mit &lt;b&gt;&quot;Corp&quot;&lt;/b&gt;</a>");
    expect(german.body).toContain('<nav class="providers" aria-label="Mit einem Identitätsanbieter anmelden">');
    expect(german.body).toContain('<p class="or">oder</p>');
    expect(german.body).not.toContain("<b>");
    // A forged cookie value is no language.
    const forged = h.browser();
    forged.cookies.set("cognito-lang", { value: "<b>", path: "/", attributes: "" });
    expect(htmlLang(await forged.open(h.authorizeUrl()))).toBe("en");
  });
});

describe("lang on the classic hosted UI (version 1)", () => {
  it("is taken and changes nothing: English pages, no language cookie, a cookie from before ignored", async () => {
    h = await twinOn(1);
    await h.user("ann");
    for (const lang of ["de", "ja", "pt-BR", "xx", ""]) {
      const browser: Browser = h.browser();
      const login = await browser.open(h.authorizeUrl({ lang, state: "s" }));
      expect(login.status, lang).toBe(200);
      expect(htmlLang(login), lang).toBe("en");
      expect(login.body).toContain("<h1>Sign in</h1>");
      expect(login.body).toContain("Forgot your password?");
      expect(browser.cookies.has("cognito-lang"), lang).toBe(false);
      // The parameter rides along to every page of the sign-in, as on AWS, and does nothing.
      expect(login.body).toContain(`lang=${encodeURIComponent(lang)}`);
      expectCallback(await browser.submit(login, { username: "ann", password: PASSWORD }));
    }
    // A browser that chose German while the domain was on managed login.
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 2 });
    const browser = h.browser();
    expect(htmlLang(await browser.open(h.authorizeUrl({ lang: "de" })))).toBe("de");
    await h.api("UpdateUserPoolDomain", { UserPoolId: h.poolId, Domain: h.domain, ManagedLoginVersion: 1 });
    expect(htmlLang(await browser.open(h.authorizeUrl()))).toBe("en");
    expect(htmlLang(await browser.open(h.authorizeUrl({ lang: "de" })))).toBe("en");
  });
});
