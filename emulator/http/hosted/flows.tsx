/** @jsxImportSource hono/jsx */
// The browser side of a pool's domain: /oauth2/authorize, /login, the challenge pages, /signup
// and /confirm, /forgotPassword and /confirmForgotPassword, /logout. Every form carries the CSRF
// token of its browser; every step goes through the API's own domain functions and operations,
// so its rules and messages are the API's (docs/hosted-ui.md). Every other word is the page's
// own, in the page's language (i18n.ts, docs/decisions/0022-managed-login-localization.md).
import type { Context } from "hono";
import type { Services } from "../../context.js";
import { CognitoError, errors } from "../../core/errors.js";
import { signsOutAtIdp, startSamlSignOut } from "../../domain/federation/saml.js";
import { UpstreamError } from "../../domain/federation/upstream.js";
import { identityProviderOf } from "../../domain/identity-providers.js";
import {
  type AuthorizeRequest,
  allowsCognito,
  authorizeError,
  checkAuthorizeRequest,
  completeAuthorize,
  singleParameters,
} from "../../domain/oauth/authorize.js";
import {
  afterAuthentication,
  passwordStep,
  type SignInStep,
  userOfChallengeTokens,
} from "../../domain/oauth/hosted-signin.js";
import { allowedFirstFactors } from "../../domain/user-auth.js";
import { findUser } from "../../domain/users/lookup.js";
import { completeRegistration, startRegistration } from "../../domain/webauthn/registration.js";
import { passkeyIsMfa, relyingParty, webAuthnEnabled } from "../../domain/webauthn/relying-party.js";
import type { Registry } from "../../operations/types.js";
import { newOpaque } from "../../services/ids.js";
import type { LoginFlow, SamlIdpSession } from "../../services/oauth-sessions.js";
import { OAUTH_LIFETIMES_MS } from "../../services/oauth-sessions.js";
import type { StoredClient, StoredUser } from "../../store/types.js";
import { brandingFor } from "./branding.js";
import { HOSTED_CHOICE_FLOW, hostedChallenge, unhostedName } from "./challenge-names.js";
import { attributeLabel, type Language, pageLanguage, queryLanguage, t, type Words, wordsIn } from "./i18n.js";
import { callOperation, secretHashFor } from "./operations.js";
import {
  ChooseSignInPage,
  ErrorPage,
  type FieldSpec,
  FormPage,
  LoginPage,
  type PageFrame,
  PasskeyPage,
  SelectMfaPage,
  TotpSecret,
} from "./pages.js";
import { qrDataUri } from "./qr.js";
import {
  browserCookie,
  browserOf,
  checkedBrowser,
  clearSessionCookie,
  formOf,
  type Site,
  sessionCookie,
  setSessionCookie,
  siteContext,
  siteLink,
} from "./site.js";
import { TermsLinks } from "./terms-links.js";

/** What the page handlers are handed. */
export interface HostedDeps {
  readonly services: Services;
  readonly registry: Registry;
}

/** One handler of a page path. */
export type PageHandler = (c: Context, site: Site, deps: HostedDeps) => Promise<Response>;

/**
 * Response headers of every page: never cached, never framed, no script of any origin; a passkey
 * page's one inline script runs by the nonce it was rendered with (a fresh one per response).
 */
function pageHeaders(c: Context, scriptNonce?: string): void {
  c.header("Cache-Control", "no-store");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; img-src data:; ${scriptNonce ? `script-src 'nonce-${scriptNonce}'; ` : ""}frame-ancestors 'none'; base-uri 'none'`,
  );
}

/**
 * The pool's name, the page's language (`requested` is the authorize request's `lang`) and the
 * branding of the page's app client (`clientId`, else the query's client_id).
 */
export function frameOf(c: Context, site: Site, requested: string | undefined, clientId?: string): PageFrame {
  const client = clientId ?? new URL(c.req.url).searchParams.get("client_id") ?? undefined;
  return {
    poolName: site.pool.pool.Name ?? site.pool.id,
    lang: pageLanguage(c, site, requested),
    branding: brandingFor(site, client),
  };
}

/** Renders a page with the headers every page has. */
export async function page(
  c: Context,
  element: unknown,
  status: 200 | 400 | 403 | 404 | 405 = 200,
  scriptNonce?: string,
): Promise<Response> {
  pageHeaders(c, scriptNonce);
  return c.html(element as string | Promise<string>, status);
}

/**
 * The error page: nothing is redirected anywhere. In the language of the request's `lang` (or
 * the browser's language cookie); a description of ours is translated, others are shown as given.
 */
export function errorPage(
  c: Context,
  site: Site,
  error: string,
  description: Words,
  status: 400 | 403 | 404 | 405 = 400,
): Promise<Response> {
  const frame = frameOf(c, site, queryLanguage(c));
  return page(c, <ErrorPage {...frame} error={error} description={wordsIn(frame.lang, description)} />, status);
}

export function redirect(c: Context, location: string): Response {
  c.header("Cache-Control", "no-store");
  return c.redirect(location, 302);
}

/** The authorize parameters of this request's query (every page of a sign-in carries them). */
function queryOf(c: Context): URLSearchParams {
  return new URL(c.req.url).searchParams;
}

/** The checked authorize request of `query`, or the answer for a bad one (error page or redirect). */
export function checkRequest(
  c: Context,
  site: Site,
  deps: HostedDeps,
  query: URLSearchParams,
  /** A page that signs in the pool's own users: the client must list COGNITO. */
  native = true,
): Promise<Response> | Response | { client: StoredClient; request: AuthorizeRequest } {
  const checked = checkAuthorizeRequest(deps.services, site.pool, query, site.domain.managedLoginVersion);
  if (checked.kind === "page") return errorPage(c, site, checked.error, checked.description);
  if (checked.kind === "redirect") {
    deps.services.log.info(`cognito-twin: authorize ${checked.error}: ${checked.description}`);
    return redirect(c, checked.location);
  }
  if (native && !allowsCognito(checked.client)) {
    deps.services.log.info("cognito-twin: authorize unauthorized_client: the app client does not list COGNITO");
    return redirect(c, authorizeError(checked.request, "unauthorized_client"));
  }
  return { client: checked.client, request: checked.request };
}

/** The user this browser's managed login session signed in, when it is valid for the site's pool. */
function sessionUser(c: Context, site: Site, deps: HostedDeps): { user: StoredUser; authTime: number } | undefined {
  const id = sessionCookie(c);
  const session = id === undefined ? undefined : deps.services.oauth.session(id);
  if (!session || session.poolId !== site.pool.id) return undefined;
  const user = deps.services.store.getUserBySub(site.pool.id, session.sub);
  if (!user?.enabled) return undefined;
  return { user, authTime: session.authTime };
}

/** A managed login session for the browser, which signed in as `user` just now. */
function openBrowserSession(
  c: Context,
  site: Site,
  deps: HostedDeps,
  user: StoredUser,
  authTime: number,
  saml?: SamlIdpSession,
): void {
  // A session the browser held before (another user's, perhaps) ends here.
  const previous = sessionCookie(c);
  if (previous !== undefined) deps.services.oauth.endSession(previous);
  const session = deps.services.oauth.openSession(site.pool.id, user.sub, authTime, saml);
  setSessionCookie(c, site, session.id, OAUTH_LIFETIMES_MS.session / 1000);
}

/**
 * The end of every sign-in: a managed login session for the browser (when it signed in just
 * now), then the code or tokens on the redirect to the app.
 */
export async function finish(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  user: StoredUser,
  fresh: boolean,
  authTime = Math.floor(deps.services.clock.now() / 1000),
  saml?: SamlIdpSession,
): Promise<Response> {
  if (fresh) openBrowserSession(c, site, deps, user, authTime, saml);
  const ctx = siteContext(deps.services, c, site);
  let location: string;
  try {
    location = await completeAuthorize(ctx, site.pool, client, request, user, authTime);
  } catch (e) {
    // The implicit grant mints here: a failing pre token generation trigger ends the sign-in.
    if (!(e instanceof CognitoError)) throw e;
    return errorPage(c, site, "invalid_request", e.message);
  }
  return redirect(c, location);
}

/** What the pool signs users in with: the username field's label (and the sign-up field's type). */
function usernameKind(site: Site): "emailOrPhone" | "email" | "phoneNumber" | "username" {
  const attrs = (site.pool.pool.UsernameAttributes ?? []) as readonly string[];
  if (attrs.includes("email") && attrs.includes("phone_number")) return "emailOrPhone";
  if (attrs.includes("email")) return "email";
  if (attrs.includes("phone_number")) return "phoneNumber";
  return "username";
}

function usernameLabel(site: Site, lang: Language): string {
  return t(lang, usernameKind(site));
}

/**
 * True when the login page signs in by choice (USER_AUTH): on managed login (version 2; the
 * classic hosted UI has only passwords), for a client with ALLOW_USER_AUTH, in a pool whose
 * sign-in policy allows a first factor besides the password. The username comes first, then
 * the ways this user may sign in (docs/decisions/0023-managed-login-passwordless.md).
 */
function choiceBased(site: Site, client: StoredClient | undefined): boolean {
  if (site.domain.managedLoginVersion !== 2 || client === undefined) return false;
  const flows = (client.client.ExplicitAuthFlows ?? []) as readonly string[];
  return flows.includes("ALLOW_USER_AUTH") && allowedFirstFactors(site.pool).some((f) => f !== "PASSWORD");
}

function standardLinks(site: Site, lang: Language, query: URLSearchParams, except?: "login" | "signup" | "forgot") {
  const links: { href: string; text: string }[] = [];
  if (except !== "login") links.push({ href: siteLink(site, "/login", query), text: t(lang, "linkSignIn") });
  if (except !== "forgot") links.push({ href: siteLink(site, "/forgotPassword", query), text: t(lang, "linkForgot") });
  if (except !== "signup" && site.pool.pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true)
    links.push({ href: siteLink(site, "/signup", query), text: t(lang, "linkSignUp") });
  return links;
}

/** The name a social provider's button gives it ("Continue with Google"). */
const SOCIAL_NAMES: Readonly<Record<string, string>> = {
  Google: "Google",
  Facebook: "Facebook",
  LoginWithAmazon: "Amazon",
  SignInWithApple: "Apple",
};

/**
 * A button for each identity provider of the pool the client lists (SupportedIdentityProviders
 * order): a link to /oauth2/authorize with the same request and `identity_provider`, as Cognito's.
 */
function providerButtons(
  site: Site,
  lang: Language,
  client: StoredClient,
  query: URLSearchParams,
): { href: string; text: string }[] {
  const buttons: { href: string; text: string }[] = [];
  for (const name of (client.client.SupportedIdentityProviders ?? []) as readonly string[]) {
    const record = identityProviderOf(site.pool, name);
    if (name === "COGNITO" || record === undefined) continue;
    const q = new URLSearchParams(query);
    q.delete("idp_identifier");
    q.set("identity_provider", name);
    const type = record.provider.ProviderType ?? "";
    buttons.push({
      href: siteLink(site, "/oauth2/authorize", q),
      text: t(lang, "continueWith", { provider: SOCIAL_NAMES[type] ?? name }),
    });
  }
  return buttons;
}

function loginPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  request: AuthorizeRequest,
  query: URLSearchParams,
  extra: { error?: Words; notice?: Words; username?: string } = {},
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const client = deps.services.store.getClient(request.clientId);
  const native = client === undefined || allowsCognito(client);
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  return page(
    c,
    <LoginPage
      {...frame}
      action={siteLink(site, "/login", query)}
      csrf={csrf}
      usernameLabel={usernameLabel(site, lang)}
      username={extra.username}
      error={wordsIn(lang, extra.error)}
      notice={wordsIn(lang, extra.notice)}
      links={native ? standardLinks(site, lang, query, "login") : []}
      providers={client ? providerButtons(site, lang, client, query) : []}
      native={native}
      usernameFirst={choiceBased(site, client)}
    />,
  );
}

// ---- GET /oauth2/authorize -----------------------------------------------------------------

/** Checks the request, answers at once from a managed login session, or sends the browser to /login. */
export const authorize: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const checked = checkRequest(c, site, deps, query, false);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  // The language is chosen here already: its cookie is set although no page is shown yet.
  pageLanguage(c, site, request.lang);
  if (request.prompt !== "login") {
    const signedIn = sessionUser(c, site, deps);
    if (signedIn) return finish(c, site, deps, client, request, signedIn.user, false, signedIn.authTime);
  }
  if (request.prompt === "none") return redirect(c, authorizeError(request, "login_required"));
  return redirect(c, siteLink(site, "/login", query));
};

// ---- /login --------------------------------------------------------------------------------

export const loginGet: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const checked = checkRequest(c, site, deps, query, false);
  if (!("request" in checked)) return checked;
  if (checked.request.prompt !== "login") {
    const signedIn = sessionUser(c, site, deps);
    if (signedIn)
      return finish(c, site, deps, checked.client, checked.request, signedIn.user, false, signedIn.authTime);
  }
  // /login takes every parameter of the authorize endpoint, prompt=none too: never a page.
  if (checked.request.prompt === "none") return redirect(c, authorizeError(checked.request, "login_required"));
  return loginPage(c, site, deps, checked.request, query);
};

/** Reads a form post: its fields (each at most once) if its CSRF token is this browser's. */
async function postedForm(
  c: Context,
  site: Site,
  deps: HostedDeps,
  names: readonly string[],
): Promise<{ browser: string; fields: Map<string, string>; form: URLSearchParams } | Response> {
  const form = await formOf(c);
  if (!form) return errorPage(c, site, "invalid_request", { key: "formEncoding" });
  const csrf = form.getAll("_csrf");
  const browser = csrf.length === 1 ? checkedBrowser(c, deps.services, site, csrf[0]) : undefined;
  if (!browser) return errorPage(c, site, "invalid_request", { key: "csrf" }, 403);
  const single = singleParameters(form, names);
  if ("problem" in single) return errorPage(c, site, "invalid_request", single.problem);
  return { browser, fields: single.values, form };
}

export const loginPost: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const posted = await postedForm(c, site, deps, ["username", "password"]);
  if (posted instanceof Response) return posted;
  const checked = checkRequest(c, site, deps, query);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  const username = posted.fields.get("username")?.trim() ?? "";
  if (choiceBased(site, client)) return chooseSignIn(c, site, deps, client, request, query, posted.browser, username);
  const password = posted.fields.get("password") ?? "";
  if (username === "" || password === "")
    return loginPage(c, site, deps, request, query, { error: { key: "enterUsernamePassword" }, username });
  // Longer than the API allows: it cannot be anyone's (and is not worth hashing).
  if (username.length > 128 || password.length > 256)
    return loginPage(c, site, deps, request, query, { error: "Incorrect username or password." });
  const ctx = siteContext(deps.services, c, site);
  let step: SignInStep;
  try {
    step = await passwordStep(ctx, site.pool, client, username, password);
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    if (e.type === "UserNotConfirmedException")
      return startConfirmation(c, site, deps, client, query, posted.browser, username, false);
    if (e.type === "PasswordResetRequiredException")
      return startReset(c, site, deps, client, request, query, posted.browser, username, "resetRequired");
    return loginPage(c, site, deps, request, query, { error: e.message, username });
  }
  return continueSignIn(c, site, deps, client, request, query, posted.browser, step);
};

/**
 * Choice-based sign-in's first step: InitiateAuth USER_AUTH with the username, as an app would
 * call it, and on to the page of its SELECT_CHALLENGE (the ways this user may sign in).
 */
async function chooseSignIn(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  query: URLSearchParams,
  browser: string,
  username: string,
): Promise<Response> {
  if (username === "") return loginPage(c, site, deps, request, query, { error: { key: "enterUsername" } });
  let out: {
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
    AvailableChallenges?: string[];
  };
  try {
    out = await callOperation(
      deps.registry,
      "InitiateAuth",
      {
        AuthFlow: HOSTED_CHOICE_FLOW,
        ClientId: client.client.ClientId,
        AuthParameters: { USERNAME: username, ...secretHashFor(client, username) },
      },
      { ...siteContext(deps.services, c, site), managedLogin: true },
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return loginPage(c, site, deps, request, query, { error: e.message, username });
  }
  if (!out.ChallengeName || !out.Session) return expiredFlow(c, site);
  return continueSignIn(c, site, deps, client, request, query, browser, {
    kind: "challenge",
    name: out.ChallengeName,
    session: out.Session,
    parameters: { ...out.ChallengeParameters, AVAILABLE_CHALLENGES: JSON.stringify(out.AvailableChallenges ?? []) },
    username,
  });
}

/** After a proved password (or code): signed in, or on to the challenge's page. */
async function continueSignIn(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  query: URLSearchParams,
  browser: string,
  step: SignInStep,
  /** More for the flow's data: `firstFactor` for a code chosen as the way to sign in. */
  extra: Readonly<Record<string, string>> = {},
): Promise<Response> {
  if (step.kind === "signedIn") return signedInNow(c, site, deps, client, request, query, browser, step.user);
  const flow = deps.services.oauth.startFlow({
    poolId: site.pool.id,
    clientId: client.client.ClientId!,
    browser,
    kind: "challenge",
    username: step.username,
    data: {
      query: query.toString(),
      name: step.name,
      session: step.session,
      parameters: JSON.stringify(step.parameters),
      ...extra,
    },
  });
  return redirect(c, siteLink(site, "/challenge", { flow: flow.id }));
}

// ---- the flows that span pages (challenges, confirmation, password reset) -----------------------

const FLOW_ID = /^[A-Za-z0-9_-]{32}$/;

/** The sign-in in progress that `id` names, if it is this browser's, of this kind, on this site. */
function flowOf(
  c: Context,
  site: Site,
  deps: HostedDeps,
  id: string | undefined,
  kind: LoginFlow["kind"],
  browser?: string,
): LoginFlow | undefined {
  if (id === undefined || !FLOW_ID.test(id)) return undefined;
  const flow = deps.services.oauth.flow(id);
  const owner = browser ?? browserCookie(c);
  if (!flow || flow.kind !== kind || flow.poolId !== site.pool.id || flow.browser !== owner) return undefined;
  return flow;
}

/** The flow's authorize request, checked again (the client may have changed meanwhile). */
function flowRequest(c: Context, site: Site, deps: HostedDeps, flow: LoginFlow): ReturnType<typeof checkRequest> {
  return checkRequest(c, site, deps, new URLSearchParams(flow.data.query ?? ""));
}

function expiredFlow(c: Context, site: Site): Promise<Response> {
  return errorPage(c, site, "invalid_request", { key: "expiredFlow" });
}

// ---- /challenge: NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP

const FACTOR_NAMES: Readonly<Record<string, "factorTotp" | "factorSms" | "factorEmail">> = {
  SOFTWARE_TOKEN_MFA: "factorTotp",
  SMS_MFA: "factorSms",
  EMAIL_OTP: "factorEmail",
  EMAIL_MFA: "factorEmail",
};

/** The buttons of SELECT_CHALLENGE's first factors other than the password. */
const FIRST_FACTOR_BUTTONS = {
  WEB_AUTHN: "methodPasskey",
  EMAIL_OTP: "methodEmailOtp",
  SMS_OTP: "methodSmsOtp",
} as const;

/** A JSON list of strings (a challenge parameter), empty when it is not one. */
function stringList(json: string | undefined): string[] {
  try {
    const list = JSON.parse(json ?? "[]") as unknown;
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

/** A posted passkey credential (JSON of a few kilobytes) may be longer than other fields. */
const MAX_CREDENTIAL_LENGTH = 65_536;

/** The form's one `credential` (a PublicKeyCredential's toJSON()), or a problem with it. */
function postedCredential(form: URLSearchParams): { credential: string } | { problem: string } {
  const all = form.getAll("credential");
  if (all.length > 1) return { problem: "credential was sent more than once" };
  const credential = all[0] ?? "";
  if (credential.length > MAX_CREDENTIAL_LENGTH)
    return { problem: `credential is longer than ${MAX_CREDENTIAL_LENGTH} characters` };
  return { credential };
}

function parametersOf(flow: LoginFlow): Record<string, string> {
  try {
    return JSON.parse(flow.data.parameters ?? "{}") as Record<string, string>;
  } catch {
    return {};
  }
}

function requiredAttributes(flow: LoginFlow): string[] {
  try {
    const list = JSON.parse(parametersOf(flow).requiredAttributes ?? "[]") as unknown;
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === "string") : [];
  } catch {
    return [];
  }
}

/** The authenticator secret of an MFA_SETUP flow: associated once, kept in the flow. */
async function withTotpSecret(c: Context, site: Site, deps: HostedDeps, flow: LoginFlow): Promise<LoginFlow> {
  if (flow.data.secret) return flow;
  const out = await callOperation<{ SecretCode?: string; Session?: string }>(
    deps.registry,
    "AssociateSoftwareToken",
    { Session: flow.data.session },
    siteContext(deps.services, c, site),
  );
  const updated = deps.services.oauth.updateFlow(flow.id, { secret: out.SecretCode ?? "", session: out.Session ?? "" });
  if (!updated) throw errors.invalidSession();
  return updated;
}

async function challengePage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  flow: LoginFlow,
  request: AuthorizeRequest,
  error?: Words,
  notice?: Words,
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  const query = new URLSearchParams(flow.data.query ?? "");
  const common = {
    ...frame,
    action: siteLink(site, "/challenge"),
    csrf,
    hidden: { flow: flow.id },
    error: wordsIn(lang, error),
    links: [{ href: siteLink(site, "/login", query), text: t(lang, "linkBack") }],
  };
  const params = parametersOf(flow);
  const name = hostedChallenge(flow.data.name);
  switch (name) {
    case "NEW_PASSWORD_REQUIRED": {
      const fields: FieldSpec[] = [
        { name: "password", label: t(lang, "newPassword"), type: "password", autocomplete: "new-password" },
        {
          name: "confirm",
          label: t(lang, "newPasswordAgain"),
          type: "password",
          autocomplete: "new-password",
        },
        ...requiredAttributes(flow).map((key) =>
          attributeField(
            lang,
            key.replace(/^userAttributes\./, ""),
            `userAttributes.${key.replace(/^userAttributes\./, "")}`,
          ),
        ),
      ];
      return page(
        c,
        <FormPage
          {...common}
          title={t(lang, "newPasswordTitle")}
          intro={t(lang, "newPasswordIntro")}
          fields={fields}
          submit={t(lang, "changePassword")}
        />,
      );
    }
    case "SOFTWARE_TOKEN_MFA":
      return page(
        c,
        <FormPage
          {...common}
          title={t(lang, "totpTitle")}
          intro={
            params.FRIENDLY_DEVICE_NAME
              ? t(lang, "totpIntroDevice", { device: params.FRIENDLY_DEVICE_NAME })
              : t(lang, "totpIntro")
          }
          fields={[{ name: "code", label: t(lang, "code"), autocomplete: "one-time-code", inputmode: "numeric" }]}
          submit={t(lang, "signInButton")}
        />,
      );
    case "SMS_MFA":
    case "EMAIL_OTP":
    case "SMS_OTP":
      return page(
        c,
        <FormPage
          {...common}
          title={t(lang, "codeTitle")}
          intro={
            params.CODE_DELIVERY_DESTINATION
              ? t(lang, "codeSentTo", { destination: params.CODE_DELIVERY_DESTINATION })
              : t(lang, "codeSent")
          }
          fields={[{ name: "code", label: t(lang, "code"), autocomplete: "one-time-code", inputmode: "numeric" }]}
          submit={t(lang, "signInButton")}
          // A code chosen as the way to sign in can be sent again (a new USER_AUTH session).
          secondary={
            flow.data.firstFactor === "yes" ? { name: "resend", value: "1", text: t(lang, "resendCode") } : undefined
          }
          notice={wordsIn(lang, notice)}
        />,
      );
    case "SELECT_CHALLENGE": {
      const available = stringList(params.AVAILABLE_CHALLENGES);
      const others = (["WEB_AUTHN", "EMAIL_OTP", "SMS_OTP"] as const)
        .filter((name) => available.includes(name))
        .map((value) => ({ value, text: t(lang, FIRST_FACTOR_BUTTONS[value]) }));
      return page(
        c,
        <ChooseSignInPage
          {...common}
          username={flow.username}
          password={available.includes("PASSWORD")}
          others={others}
        />,
      );
    }
    case "WEB_AUTHN": {
      const nonce = newOpaque(16);
      return page(
        c,
        <PasskeyPage
          {...common}
          title={t(lang, "passkeyTitle")}
          intro={t(lang, "passkeyIntro")}
          mode="get"
          options={params.CREDENTIAL_REQUEST_OPTIONS ?? "{}"}
          nonce={nonce}
          button={t(lang, "passkeyButton")}
          cancelled={t(lang, "passkeyCancelled")}
        />,
        200,
        nonce,
      );
    }
    case "SELECT_MFA_TYPE": {
      let choices: string[] = [];
      try {
        choices = JSON.parse(params.MFAS_CAN_CHOOSE ?? "[]") as string[];
      } catch {
        choices = [];
      }
      return page(
        c,
        <SelectMfaPage
          {...common}
          choices={choices.map((value) => {
            const name = FACTOR_NAMES[value];
            return { value, text: name ? t(lang, name) : value };
          })}
        />,
      );
    }
    case "MFA_SETUP": {
      const secret = flow.data.secret ?? "";
      const label = encodeURIComponent(`${frame.poolName}:${flow.username}`);
      const uri = `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(frame.poolName)}`;
      const qr = qrDataUri(uri);
      return page(
        c,
        <FormPage
          {...common}
          title={t(lang, "mfaSetupTitle")}
          fields={[
            { name: "code", label: t(lang, "mfaSetupCode"), autocomplete: "one-time-code", inputmode: "numeric" },
            { name: "device", label: t(lang, "mfaSetupDevice"), required: false },
          ]}
          submit={t(lang, "mfaSetupSubmit")}
        >
          <TotpSecret lang={lang} secret={secret} qrDataUri={qr} />
        </FormPage>,
      );
    }
    default:
      return errorPage(c, site, "invalid_request", {
        key: "challengeUnsupported",
        vars: { challenge: unhostedName(name, flow.data.name) },
      });
  }
}

/**
 * "Resend code" on the page of a code chosen as the way to sign in: InitiateAuth USER_AUTH with
 * that PREFERRED_CHALLENGE again, as an app does, so a new code and a new session (whose wrong
 * answers count afresh) replace the flow's. A factor the user can no longer use is the API's error.
 */
async function resendSignInCode(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  flow: LoginFlow,
  name: "EMAIL_OTP" | "SMS_OTP",
): Promise<Response> {
  const out = await callOperation<{
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  }>(
    deps.registry,
    "InitiateAuth",
    {
      AuthFlow: HOSTED_CHOICE_FLOW,
      ClientId: client.client.ClientId,
      AuthParameters: { USERNAME: flow.username, PREFERRED_CHALLENGE: name, ...secretHashFor(client, flow.username) },
    },
    { ...siteContext(deps.services, c, site), managedLogin: true },
  );
  if (out.ChallengeName !== name || !out.Session) return expiredFlow(c, site);
  const updated = deps.services.oauth.updateFlow(flow.id, {
    session: out.Session,
    parameters: JSON.stringify({ ...out.ChallengeParameters }),
  });
  if (!updated) return expiredFlow(c, site);
  const destination = out.ChallengeParameters?.CODE_DELIVERY_DESTINATION;
  return challengePage(
    c,
    site,
    deps,
    updated,
    request,
    undefined,
    destination ? { key: "newCodeSentTo", vars: { destination } } : { key: "newCodeSent" },
  );
}

/** An attribute's field: a standard attribute's label in the page's language, a custom one's from its name. */
function attributeField(lang: Language, attribute: string, name: string): FieldSpec {
  const type = attribute === "email" ? "email" : attribute === "phone_number" ? "tel" : "text";
  const words = attribute.replace(/^custom:/, "").replace(/_/g, " ");
  const label = attributeLabel(lang, attribute) ?? words.charAt(0).toUpperCase() + words.slice(1);
  return { name, label, type, autocomplete: autocompleteOf(attribute) };
}

function autocompleteOf(attribute: string): string {
  const known: Record<string, string> = {
    email: "email",
    phone_number: "tel",
    given_name: "given-name",
    family_name: "family-name",
    name: "name",
    birthdate: "bday",
    address: "street-address",
    nickname: "nickname",
  };
  return known[attribute] ?? "off";
}

export const challengeGet: PageHandler = async (c, site, deps) => {
  let flow = flowOf(c, site, deps, queryOf(c).get("flow") ?? undefined, "challenge");
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  if (flow.data.name === "MFA_SETUP") {
    try {
      flow = await withTotpSecret(c, site, deps, flow);
    } catch (e) {
      if (!(e instanceof CognitoError)) throw e;
      return errorPage(c, site, e.type, e.message);
    }
  }
  return challengePage(c, site, deps, flow, checked.request);
};

export const challengePost: PageHandler = async (c, site, deps) => {
  const posted = await postedForm(c, site, deps, ["flow", "password", "confirm", "code", "answer", "device", "resend"]);
  if (posted instanceof Response) return posted;
  const passkey = postedCredential(posted.form);
  if ("problem" in passkey) return errorPage(c, site, "invalid_request", passkey.problem);
  const flow = flowOf(c, site, deps, posted.fields.get("flow"), "challenge", posted.browser);
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  const ctx = siteContext(deps.services, c, site);
  const f = posted.fields;
  const name = hostedChallenge(flow.data.name);
  const responses: Record<string, string> = { USERNAME: flow.username, ...secretHashFor(client, flow.username) };
  let session = flow.data.session ?? "";
  try {
    if (f.has("resend") && flow.data.firstFactor === "yes" && (name === "EMAIL_OTP" || name === "SMS_OTP"))
      return await resendSignInCode(c, site, deps, client, request, flow, name);
    switch (name) {
      case "NEW_PASSWORD_REQUIRED": {
        if ((f.get("password") ?? "") !== (f.get("confirm") ?? ""))
          return challengePage(c, site, deps, flow, request, { key: "passwordsDoNotMatch" });
        responses.NEW_PASSWORD = f.get("password") ?? "";
        // Only the attributes the challenge asked for are read from the form.
        for (const key of requiredAttributes(flow)) {
          const attribute = key.replace(/^userAttributes\./, "");
          const values = posted.form.getAll(`userAttributes.${attribute}`);
          if (values.length > 1)
            return errorPage(c, site, "invalid_request", `userAttributes.${attribute} was sent more than once`);
          if (values[0] !== undefined) responses[`userAttributes.${attribute}`] = values[0];
        }
        break;
      }
      case "SOFTWARE_TOKEN_MFA":
        responses.SOFTWARE_TOKEN_MFA_CODE = f.get("code")?.trim() ?? "";
        break;
      case "SMS_MFA":
        responses.SMS_MFA_CODE = f.get("code")?.trim() ?? "";
        break;
      case "EMAIL_OTP":
        responses.EMAIL_OTP_CODE = f.get("code")?.trim() ?? "";
        break;
      case "SMS_OTP":
        responses.SMS_OTP_CODE = f.get("code")?.trim() ?? "";
        break;
      case "SELECT_CHALLENGE": {
        const answer = f.get("answer") ?? "";
        responses.ANSWER = answer;
        if (answer === "PASSWORD") {
          const password = f.get("password") ?? "";
          if (password === "") return challengePage(c, site, deps, flow, request, { key: "enterPassword" });
          // Longer than the API allows: it cannot be anyone's (and is not worth hashing).
          if (password.length > 256)
            return challengePage(c, site, deps, flow, request, "Incorrect username or password.");
          responses.PASSWORD = password;
        }
        break;
      }
      case "WEB_AUTHN":
        responses.CREDENTIAL = passkey.credential;
        break;
      case "SELECT_MFA_TYPE":
        responses.ANSWER = f.get("answer") ?? "";
        break;
      case "MFA_SETUP": {
        const device = f.get("device")?.trim();
        const verified = await callOperation<{ Session?: string }>(
          deps.registry,
          "VerifySoftwareToken",
          {
            Session: session,
            UserCode: f.get("code")?.trim() ?? "",
            ...(device ? { FriendlyDeviceName: device } : {}),
          },
          ctx,
        );
        session = verified.Session ?? "";
        break;
      }
      default:
        return errorPage(c, site, "invalid_request", {
          key: "challengeUnsupported",
          vars: { challenge: unhostedName(name, flow.data.name) },
        });
    }
    const out = await callOperation<{
      ChallengeName?: string;
      Session?: string;
      ChallengeParameters?: Record<string, string>;
      AuthenticationResult?: { AccessToken?: string };
    }>(
      deps.registry,
      "RespondToAuthChallenge",
      { ClientId: client.client.ClientId, ChallengeName: name, Session: session, ChallengeResponses: responses },
      // The sign-in ends in a code: its tokens, and their trigger, come from the token endpoint.
      { ...ctx, managedLogin: true },
    );
    deps.services.oauth.endFlow(flow.id);
    const query = new URLSearchParams(flow.data.query ?? "");
    if (out.AuthenticationResult?.AccessToken) {
      const user = userOfChallengeTokens(ctx, site.pool, out.AuthenticationResult.AccessToken);
      if (!user) return expiredFlow(c, site);
      return signedInNow(c, site, deps, client, request, query, posted.browser, user);
    }
    if (!out.ChallengeName || !out.Session) return expiredFlow(c, site);
    const chosenCode =
      name === "SELECT_CHALLENGE" && (out.ChallengeName === "EMAIL_OTP" || out.ChallengeName === "SMS_OTP");
    return continueSignIn(
      c,
      site,
      deps,
      client,
      request,
      query,
      posted.browser,
      {
        kind: "challenge",
        name: out.ChallengeName,
        session: out.Session,
        parameters: { ...out.ChallengeParameters },
        username: flow.username,
      },
      chosenCode ? { firstFactor: "yes" } : {},
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    if (name === "SELECT_CHALLENGE") {
      // The password chosen on the choice page is checked as /login's is, and ends as it does.
      const query = new URLSearchParams(flow.data.query ?? "");
      if (e.type === "UserNotConfirmedException") {
        deps.services.oauth.endFlow(flow.id);
        return startConfirmation(c, site, deps, client, query, posted.browser, flow.username, false);
      }
      if (e.type === "PasswordResetRequiredException") {
        deps.services.oauth.endFlow(flow.id);
        return startReset(c, site, deps, client, request, query, posted.browser, flow.username, "resetRequired");
      }
    }
    return challengePage(c, site, deps, flow, request, e.message);
  }
};

// ---- passkeys: the offer after a sign-in, and /passkeys/add ---------------------------------

/**
 * True when managed login offers the user a passkey after signing in: choice-based sign-in in a
 * pool with passkeys and a relying party, for a user with no passkey for it yet.
 */
function offersPasskey(site: Site, client: StoredClient, user: StoredUser): boolean {
  if (!choiceBased(site, client) || !webAuthnEnabled(site.pool)) return false;
  // A pool that requires MFA offers no passkey sign-in (passkeys are a single factor there,
  // docs/decisions/0021), so a passkey added now could not be used, unless this user's passkey
  // satisfies MFA (passkey MFA: the pool's FactorConfiguration and the user's setting).
  if (site.pool.mfa.MfaConfiguration === "ON" && !passkeyIsMfa(site.pool, user)) return false;
  let rpId: string;
  try {
    rpId = relyingParty(site.pool).id;
  } catch {
    return false;
  }
  return !(user.webAuthnCredentials ?? []).some((c) => c.relyingPartyId === rpId);
}

/**
 * A sign-in that ended on these pages just now: the managed login session, then the code's
 * redirect to the app, or first the offer to add a passkey (the /passkeys/add page of the flow),
 * whose "Not now" goes on to the same redirect.
 */
async function signedInNow(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  query: URLSearchParams,
  browser: string,
  user: StoredUser,
): Promise<Response> {
  if (!offersPasskey(site, client, user)) return finish(c, site, deps, client, request, user, true);
  const authTime = Math.floor(deps.services.clock.now() / 1000);
  openBrowserSession(c, site, deps, user, authTime);
  const flow = deps.services.oauth.startFlow({
    poolId: site.pool.id,
    clientId: client.client.ClientId!,
    browser,
    kind: "addPasskey",
    username: user.username,
    data: { query: query.toString(), authTime: String(authTime) },
  });
  return redirect(c, siteLink(site, "/passkeys/add", { flow: flow.id }));
}

/** Who adds a passkey on /passkeys/add, where the page posts, and where the browser goes after. */
interface PasskeyTarget {
  readonly client: StoredClient;
  readonly user: StoredUser;
  readonly action: string;
  readonly hidden: Record<string, string>;
  /** The language asked for (the flow's authorize request's, or the page's own `lang`). */
  readonly lang: string | undefined;
  /** Once a passkey is added, or not now: the app's redirect. */
  done(): Promise<Response> | Response;
}

/**
 * The passkey page's user and destination: the offer after a sign-in (`flowId`, this browser's
 * addPasskey flow and its session's user), or the page an app links to,
 * `/passkeys/add?client_id=...&redirect_uri=...` (a callback URL of the client), for the user
 * this browser's managed login session signed in. Managed login only (version 2), in a pool with
 * passkeys (WebAuthnNotEnabledException's message otherwise).
 */
function passkeyTarget(
  c: Context,
  site: Site,
  deps: HostedDeps,
  query: URLSearchParams,
  flowId: string | undefined,
  browser?: string,
): Promise<Response> | Response | PasskeyTarget {
  if (site.domain.managedLoginVersion !== 2) return errorPage(c, site, "invalid_request", { key: "pageNotFound" }, 404);
  if (!webAuthnEnabled(site.pool)) return errorPage(c, site, "invalid_request", errors.webAuthnNotEnabled().message);
  const signedIn = sessionUser(c, site, deps);
  if (flowId !== undefined) {
    const flow = flowOf(c, site, deps, flowId, "addPasskey", browser);
    if (!flow || signedIn?.user.username !== flow.username) return expiredFlow(c, site);
    const checked = flowRequest(c, site, deps, flow);
    if (!("request" in checked)) return checked;
    const { client, request } = checked;
    return {
      client,
      user: signedIn.user,
      action: siteLink(site, "/passkeys/add"),
      hidden: { flow: flow.id },
      lang: request.lang,
      done: () => {
        deps.services.oauth.endFlow(flow.id);
        return finish(c, site, deps, client, request, signedIn.user, false, Number(flow.data.authTime));
      },
    };
  }
  const single = singleParameters(query, ["client_id", "redirect_uri"]);
  if ("problem" in single) return errorPage(c, site, "invalid_request", single.problem);
  const clientId = single.values.get("client_id");
  if (!clientId) return errorPage(c, site, "invalid_request", "client_id is required");
  const client = deps.services.store.getClient(clientId);
  if (!client || client.poolId !== site.pool.id)
    return errorPage(c, site, "invalid_client", `no app client ${clientId} in this user pool`);
  const redirectUri = single.values.get("redirect_uri");
  const callbacks = (client.client.CallbackURLs ?? []) as readonly string[];
  if (redirectUri === undefined || !callbacks.includes(redirectUri) || !URL.canParse(redirectUri))
    return errorPage(c, site, "invalid_request", "redirect_uri is not a callback URL of the app client");
  if (!signedIn) return errorPage(c, site, "invalid_request", { key: "passkeyAddSignInFirst" }, 403);
  return {
    client,
    user: signedIn.user,
    action: siteLink(site, "/passkeys/add", query),
    hidden: {},
    lang: queryLanguage(c),
    done: () => redirect(c, redirectUri),
  };
}

/** The page that adds a passkey: fresh creation options (StartWebAuthnRegistration's) each time. */
async function passkeyAddPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  target: PasskeyTarget,
  error?: Words,
): Promise<Response> {
  let options: Record<string, unknown>;
  try {
    options = await startRegistration(deps.services, {
      pool: site.pool,
      user: target.user,
      clientId: target.client.client.ClientId!,
    });
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return errorPage(c, site, e.type, e.message);
  }
  const { csrf } = browserOf(c, deps.services, site);
  const frame = frameOf(c, site, target.lang, target.client.client.ClientId);
  const { lang } = frame;
  const account = (options.user as { name?: string } | undefined)?.name ?? target.user.username;
  const nonce = newOpaque(16);
  return page(
    c,
    <PasskeyPage
      {...frame}
      title={t(lang, "passkeyAddTitle")}
      intro={t(lang, "passkeyAddIntro", { username: account })}
      action={target.action}
      csrf={csrf}
      hidden={target.hidden}
      mode="create"
      options={JSON.stringify(options)}
      nonce={nonce}
      button={t(lang, "passkeyAddButton")}
      cancelled={t(lang, "passkeyAddCancelled")}
      skip={t(lang, "passkeyAddSkip")}
      error={wordsIn(lang, error)}
      links={[]}
    />,
    200,
    nonce,
  );
}

export const passkeysAddGet: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const target = passkeyTarget(c, site, deps, query, query.get("flow") ?? undefined);
  if (!("done" in target)) return target;
  return passkeyAddPage(c, site, deps, target);
};

/**
 * The passkey page's post: "Not now" (skip), or the new credential, registered as
 * CompleteWebAuthnRegistration registers it (W's domain function); a refusal shows Cognito's
 * message on a fresh page.
 */
export const passkeysAddPost: PageHandler = async (c, site, deps) => {
  const posted = await postedForm(c, site, deps, ["flow", "skip"]);
  if (posted instanceof Response) return posted;
  const passkey = postedCredential(posted.form);
  if ("problem" in passkey) return errorPage(c, site, "invalid_request", passkey.problem);
  const target = passkeyTarget(c, site, deps, queryOf(c), posted.fields.get("flow"), posted.browser);
  if (!("done" in target)) return target;
  if (posted.fields.has("skip")) return target.done();
  if (passkey.credential === "") return passkeyAddPage(c, site, deps, target, { key: "passkeyAddCancelled" });
  let credential: unknown;
  try {
    credential = JSON.parse(passkey.credential);
  } catch {
    return passkeyAddPage(c, site, deps, target, errors.webAuthnCredentialMalformed("not JSON").message);
  }
  try {
    await completeRegistration(
      deps.services,
      { pool: site.pool, user: target.user, clientId: target.client.client.ClientId! },
      credential,
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return passkeyAddPage(c, site, deps, target, e.message);
  }
  return target.done();
};

// ---- /signup and /confirm --------------------------------------------------------------------

/** The fields of the sign-up form: the username (or email, phone), the password, the required attributes. */
function signUpFields(site: Site, lang: Language): FieldSpec[] {
  const usernameAttrs = (site.pool.pool.UsernameAttributes ?? []) as readonly string[];
  const kind = usernameKind(site);
  const fields: FieldSpec[] = [
    {
      name: "username",
      label: t(lang, kind),
      type: kind === "email" ? "email" : kind === "phoneNumber" ? "tel" : "text",
      autocomplete: "username",
    },
    { name: "password", label: t(lang, "password"), type: "password", autocomplete: "new-password" },
  ];
  const auto = (site.pool.pool.AutoVerifiedAttributes ?? []) as readonly string[];
  const wanted: { name: string; required: boolean }[] = [];
  for (const a of site.pool.pool.SchemaAttributes ?? []) {
    const name = a.Name ?? "";
    if (!a.Required || name === "sub" || usernameAttrs.includes(name)) continue;
    wanted.push({ name, required: true });
  }
  // The attribute a confirmation code goes to, so that one can be sent.
  for (const name of ["email", "phone_number"]) {
    if (auto.includes(name) && !usernameAttrs.includes(name) && !wanted.some((w) => w.name === name))
      wanted.push({ name, required: false });
  }
  for (const w of wanted) fields.push({ ...attributeField(lang, w.name, `attr.${w.name}`), required: w.required });
  return fields;
}

function signUpPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  request: AuthorizeRequest,
  query: URLSearchParams,
  extra: { error?: Words; values?: Record<string, string> } = {},
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  return page(
    c,
    <FormPage
      {...frame}
      title={t(lang, "signUpTitle")}
      action={siteLink(site, "/signup", query)}
      csrf={csrf}
      fields={signUpFields(site, lang)}
      values={extra.values ?? {}}
      submit={t(lang, "signUpButton")}
      error={wordsIn(lang, extra.error)}
      links={standardLinks(site, lang, query, "signup")}
    >
      <TermsLinks site={site} clientId={request.clientId} lang={lang} />
    </FormPage>,
  );
}

function signUpAllowed(site: Site): boolean {
  return site.pool.pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
}

export const signUpGet: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const checked = checkRequest(c, site, deps, query);
  if (!("request" in checked)) return checked;
  if (!signUpAllowed(site)) return errorPage(c, site, "invalid_request", { key: "signUpNotAllowed" });
  return signUpPage(c, site, deps, checked.request, query);
};

export const signUpPost: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  // The fields' names, which are the same in every language.
  const fieldNames = signUpFields(site, "en").map((f) => f.name);
  const posted = await postedForm(c, site, deps, fieldNames);
  if (posted instanceof Response) return posted;
  const checked = checkRequest(c, site, deps, query);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  if (!signUpAllowed(site)) return errorPage(c, site, "invalid_request", { key: "signUpNotAllowed" });
  const values = Object.fromEntries([...posted.fields].filter(([k]) => k !== "password"));
  const username = posted.fields.get("username")?.trim() ?? "";
  const attributes = [...posted.fields]
    .filter(([k, v]) => k.startsWith("attr.") && v.trim() !== "")
    .map(([k, v]) => ({ Name: k.slice(5), Value: v.trim() }));
  // The guide: "Managed login and the hosted UI always require passwords" at sign-up, even where
  // the API takes SignUp without one (a passwordless pool), so a blank one never reaches SignUp.
  if ((posted.fields.get("password") ?? "") === "")
    return signUpPage(c, site, deps, request, query, { error: { key: "enterPassword" }, values });
  const ctx = siteContext(deps.services, c, site);
  let out: { UserConfirmed?: boolean; CodeDeliveryDetails?: { Destination?: string } };
  try {
    const secret = secretHashFor(client, username).SECRET_HASH;
    out = await callOperation(
      deps.registry,
      "SignUp",
      {
        ClientId: client.client.ClientId,
        Username: username,
        Password: posted.fields.get("password") ?? "",
        UserAttributes: attributes,
        ...(secret ? { SecretHash: secret } : {}),
      },
      ctx,
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return signUpPage(c, site, deps, request, query, { error: e.message, values });
  }
  if (out.UserConfirmed) {
    // The pre sign-up trigger confirmed the user: signed up just now, so signed in, as after /confirm.
    const user = findUser(ctx, site.pool, username);
    if (user?.enabled) {
      let step: SignInStep;
      try {
        step = await afterAuthentication(ctx, site.pool, client, user);
      } catch (e) {
        if (!(e instanceof CognitoError)) throw e;
        return loginPage(c, site, deps, request, query, { error: e.message });
      }
      return continueSignIn(c, site, deps, client, request, query, posted.browser, step);
    }
    return loginPage(c, site, deps, request, query, { notice: { key: "accountConfirmed" } });
  }
  if (!out.CodeDeliveryDetails) {
    const { csrf } = browserOf(c, deps.services, site);
    const frame = frameOf(c, site, request.lang, request.clientId);
    return page(
      c,
      <LoginPage
        {...frame}
        action={siteLink(site, "/login", query)}
        csrf={csrf}
        usernameLabel={usernameLabel(site, frame.lang)}
        notice={t(frame.lang, "accountNeedsAdmin")}
        links={standardLinks(site, frame.lang, query, "login")}
      />,
    );
  }
  return startConfirmation(
    c,
    site,
    deps,
    client,
    query,
    posted.browser,
    username,
    true,
    out.CodeDeliveryDetails.Destination,
  );
};

/**
 * The confirmation page of a sign-up (or of a sign-in by an unconfirmed user, whose code is sent
 * again). `signIn`: the browser signed up just now, so confirming signs it in.
 */
async function startConfirmation(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  query: URLSearchParams,
  browser: string,
  username: string,
  signIn: boolean,
  destination?: string,
): Promise<Response> {
  let sentTo = destination;
  if (!signIn) {
    try {
      const secret = secretHashFor(client, username).SECRET_HASH;
      const out = await callOperation<{ CodeDeliveryDetails?: { Destination?: string } }>(
        deps.registry,
        "ResendConfirmationCode",
        { ClientId: client.client.ClientId, Username: username, ...(secret ? { SecretHash: secret } : {}) },
        siteContext(deps.services, c, site),
      );
      sentTo = out.CodeDeliveryDetails?.Destination;
    } catch (e) {
      if (!(e instanceof CognitoError)) throw e;
    }
  }
  const flow = deps.services.oauth.startFlow({
    poolId: site.pool.id,
    clientId: client.client.ClientId!,
    browser,
    kind: "confirmSignUp",
    username,
    data: { query: query.toString(), signIn: signIn ? "yes" : "", destination: sentTo ?? "" },
  });
  return redirect(c, siteLink(site, "/confirm", { flow: flow.id }));
}

function confirmPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  flow: LoginFlow,
  request: AuthorizeRequest,
  extra: { error?: Words; notice?: Words } = {},
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const query = new URLSearchParams(flow.data.query ?? "");
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  return page(
    c,
    <FormPage
      {...frame}
      title={t(lang, "confirmTitle")}
      intro={
        flow.data.destination ? t(lang, "codeSentTo", { destination: flow.data.destination }) : t(lang, "confirmIntro")
      }
      action={siteLink(site, "/confirm")}
      csrf={csrf}
      hidden={{ flow: flow.id }}
      fields={[
        { name: "code", label: t(lang, "confirmationCode"), autocomplete: "one-time-code", inputmode: "numeric" },
      ]}
      submit={t(lang, "confirmButton")}
      secondary={{ name: "resend", value: "1", text: t(lang, "resendCode") }}
      error={wordsIn(lang, extra.error)}
      notice={wordsIn(lang, extra.notice)}
      links={[{ href: siteLink(site, "/login", query), text: t(lang, "linkBack") }]}
    />,
  );
}

export const confirmGet: PageHandler = async (c, site, deps) => {
  const flow = flowOf(c, site, deps, queryOf(c).get("flow") ?? undefined, "confirmSignUp");
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  return confirmPage(c, site, deps, flow, checked.request);
};

export const confirmPost: PageHandler = async (c, site, deps) => {
  const posted = await postedForm(c, site, deps, ["flow", "code", "resend"]);
  if (posted instanceof Response) return posted;
  const flow = flowOf(c, site, deps, posted.fields.get("flow"), "confirmSignUp", posted.browser);
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  const ctx = siteContext(deps.services, c, site);
  const secret = secretHashFor(client, flow.username).SECRET_HASH;
  const base = { ClientId: client.client.ClientId, Username: flow.username, ...(secret ? { SecretHash: secret } : {}) };
  try {
    if (posted.fields.has("resend")) {
      const out = await callOperation<{ CodeDeliveryDetails?: { Destination?: string } }>(
        deps.registry,
        "ResendConfirmationCode",
        base,
        ctx,
      );
      const destination = out.CodeDeliveryDetails?.Destination;
      return confirmPage(c, site, deps, flow, request, {
        notice: destination ? { key: "newCodeSentTo", vars: { destination } } : { key: "newCodeSent" },
      });
    }
    await callOperation(
      deps.registry,
      "ConfirmSignUp",
      { ...base, ConfirmationCode: posted.fields.get("code")?.trim() ?? "" },
      ctx,
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return confirmPage(c, site, deps, flow, request, { error: e.message });
  }
  deps.services.oauth.endFlow(flow.id);
  const query = new URLSearchParams(flow.data.query ?? "");
  const user = findUser(ctx, site.pool, flow.username);
  if (flow.data.signIn === "yes" && user?.enabled) {
    let step: SignInStep;
    try {
      step = await afterAuthentication(ctx, site.pool, client, user);
    } catch (e) {
      if (!(e instanceof CognitoError)) throw e;
      return loginPage(c, site, deps, request, query, { error: e.message });
    }
    return continueSignIn(c, site, deps, client, request, query, posted.browser, step);
  }
  return loginPage(c, site, deps, request, query, { notice: { key: "accountConfirmed" } });
};

// ---- /forgotPassword and /confirmForgotPassword -------------------------------------------------

/** The forgot-password page's intro, naming what the pool signs in with. */
const FORGOT_INTROS = {
  username: "forgotIntro",
  email: "forgotIntroEmail",
  phoneNumber: "forgotIntroPhone",
  emailOrPhone: "forgotIntroEmailOrPhone",
} as const;

function forgotPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  request: AuthorizeRequest,
  query: URLSearchParams,
  extra: { error?: Words; username?: string } = {},
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  return page(
    c,
    <FormPage
      {...frame}
      title={t(lang, "forgotTitle")}
      intro={t(lang, FORGOT_INTROS[usernameKind(site)])}
      action={siteLink(site, "/forgotPassword", query)}
      csrf={csrf}
      fields={[{ name: "username", label: usernameLabel(site, lang), autocomplete: "username" }]}
      values={{ username: extra.username ?? "" }}
      submit={t(lang, "forgotButton")}
      error={wordsIn(lang, extra.error)}
      links={standardLinks(site, lang, query, "forgot")}
    />,
  );
}

export const forgotGet: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const checked = checkRequest(c, site, deps, query);
  if (!("request" in checked)) return checked;
  return forgotPage(c, site, deps, checked.request, query);
};

export const forgotPost: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const posted = await postedForm(c, site, deps, ["username"]);
  if (posted instanceof Response) return posted;
  const checked = checkRequest(c, site, deps, query);
  if (!("request" in checked)) return checked;
  const username = posted.fields.get("username")?.trim() ?? "";
  return startReset(c, site, deps, checked.client, checked.request, query, posted.browser, username);
};

/**
 * Sends a password-reset code (ForgotPassword) and moves on to the page that takes it, with
 * `notice` (why the reset is needed) above its form.
 */
async function startReset(
  c: Context,
  site: Site,
  deps: HostedDeps,
  client: StoredClient,
  request: AuthorizeRequest,
  query: URLSearchParams,
  browser: string,
  username: string,
  notice?: "resetRequired",
): Promise<Response> {
  let destination = "";
  try {
    const secret = secretHashFor(client, username).SECRET_HASH;
    const out = await callOperation<{ CodeDeliveryDetails?: { Destination?: string } }>(
      deps.registry,
      "ForgotPassword",
      { ClientId: client.client.ClientId, Username: username, ...(secret ? { SecretHash: secret } : {}) },
      siteContext(deps.services, c, site),
    );
    destination = out.CodeDeliveryDetails?.Destination ?? "";
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return forgotPage(c, site, deps, request, query, { error: e.message, username });
  }
  const flow = deps.services.oauth.startFlow({
    poolId: site.pool.id,
    clientId: client.client.ClientId!,
    browser,
    kind: "resetPassword",
    username,
    data: { query: query.toString(), destination, notice: notice ?? "" },
  });
  return redirect(c, siteLink(site, "/confirmForgotPassword", { flow: flow.id }));
}

function resetPage(
  c: Context,
  site: Site,
  deps: HostedDeps,
  flow: LoginFlow,
  request: AuthorizeRequest,
  error?: Words,
): Promise<Response> {
  const { csrf } = browserOf(c, deps.services, site);
  const query = new URLSearchParams(flow.data.query ?? "");
  const frame = frameOf(c, site, request.lang, request.clientId);
  const { lang } = frame;
  return page(
    c,
    <FormPage
      {...frame}
      title={t(lang, "resetTitle")}
      intro={
        flow.data.destination ? t(lang, "codeSentTo", { destination: flow.data.destination }) : t(lang, "codeSent")
      }
      action={siteLink(site, "/confirmForgotPassword")}
      csrf={csrf}
      hidden={{ flow: flow.id }}
      fields={[
        { name: "code", label: t(lang, "code"), autocomplete: "one-time-code", inputmode: "numeric" },
        { name: "password", label: t(lang, "newPassword"), type: "password", autocomplete: "new-password" },
        { name: "confirm", label: t(lang, "newPasswordAgain"), type: "password", autocomplete: "new-password" },
      ]}
      submit={t(lang, "changePassword")}
      error={wordsIn(lang, error)}
      notice={error || flow.data.notice !== "resetRequired" ? undefined : t(lang, "resetRequired")}
      links={[{ href: siteLink(site, "/login", query), text: t(lang, "linkBack") }]}
    />,
  );
}

export const resetGet: PageHandler = async (c, site, deps) => {
  const flow = flowOf(c, site, deps, queryOf(c).get("flow") ?? undefined, "resetPassword");
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  return resetPage(c, site, deps, flow, checked.request);
};

export const resetPost: PageHandler = async (c, site, deps) => {
  const posted = await postedForm(c, site, deps, ["flow", "code", "password", "confirm"]);
  if (posted instanceof Response) return posted;
  const flow = flowOf(c, site, deps, posted.fields.get("flow"), "resetPassword", posted.browser);
  if (!flow) return expiredFlow(c, site);
  const checked = flowRequest(c, site, deps, flow);
  if (!("request" in checked)) return checked;
  const { client, request } = checked;
  const password = posted.fields.get("password") ?? "";
  if (password !== (posted.fields.get("confirm") ?? ""))
    return resetPage(c, site, deps, flow, request, { key: "passwordsDoNotMatch" });
  const secret = secretHashFor(client, flow.username).SECRET_HASH;
  try {
    await callOperation(
      deps.registry,
      "ConfirmForgotPassword",
      {
        ClientId: client.client.ClientId,
        Username: flow.username,
        ConfirmationCode: posted.fields.get("code")?.trim() ?? "",
        Password: password,
        ...(secret ? { SecretHash: secret } : {}),
      },
      siteContext(deps.services, c, site),
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    return resetPage(c, site, deps, flow, request, e.message);
  }
  deps.services.oauth.endFlow(flow.id);
  const query = new URLSearchParams(flow.data.query ?? "");
  return loginPage(c, site, deps, request, query, { notice: { key: "passwordChanged" } });
};

// ---- GET /logout -----------------------------------------------------------------------------

const LOGOUT_PARAMETERS = ["client_id", "logout_uri"] as const;

/**
 * Ends the browser's managed login session, then goes to `logout_uri` (which must be one of the
 * client's LogoutURLs: never an open redirect), or, given an authorize request's parameters
 * instead, to the sign-in page again.
 */
export const logout: PageHandler = async (c, site, deps) => {
  const query = queryOf(c);
  const single = singleParameters(query, [...LOGOUT_PARAMETERS, "redirect_uri", "response_type"]);
  if ("problem" in single) return errorPage(c, site, "invalid_request", single.problem);
  const clientId = single.values.get("client_id");
  if (!clientId) return errorPage(c, site, "invalid_request", "client_id is required");
  const client = deps.services.store.getClient(clientId);
  if (!client || client.poolId !== site.pool.id)
    return errorPage(c, site, "invalid_client", `no app client ${clientId} in this user pool`);
  const logoutUri = single.values.get("logout_uri");
  if (logoutUri !== undefined) {
    const allowed = (client.client.LogoutURLs ?? []) as readonly string[];
    if (!allowed.includes(logoutUri) || !URL.canParse(logoutUri) || /[\r\n\0]/.test(logoutUri))
      return errorPage(c, site, "invalid_request", "logout_uri is not a sign-out URL of the app client");
    return endSessionThen(c, site, deps, clientId, logoutUri);
  }
  if (single.values.has("redirect_uri") || single.values.has("response_type")) {
    const checked = checkRequest(c, site, deps, query);
    if (!("request" in checked)) return checked;
    return endSessionThen(c, site, deps, clientId, siteLink(site, "/login", query));
  }
  return errorPage(
    c,
    site,
    "invalid_request",
    "logout needs a logout_uri, or redirect_uri and response_type to sign in again",
  );
};

/**
 * Ends the browser's session, then goes to `target`; first through the IdP's single logout when
 * the session came from a SAML provider with IDPSignout (a signed LogoutRequest; the IdP's
 * LogoutResponse comes back to /saml2/logout, which goes on to `target`: http/hosted/saml.ts).
 */
async function endSessionThen(
  c: Context,
  site: Site,
  deps: HostedDeps,
  clientId: string,
  target: string,
): Promise<Response> {
  const id = sessionCookie(c);
  const session = id === undefined ? undefined : deps.services.oauth.session(id);
  const saml = session?.poolId === site.pool.id ? session.saml : undefined;
  endSession(c, site, deps);
  const provider = saml ? identityProviderOf(site.pool, saml.provider) : undefined;
  if (!saml || !provider || !signsOutAtIdp(provider)) return redirect(c, target);
  const domainBase = `${site.origin}${site.prefix}`;
  const state = newOpaque(32);
  try {
    const ctx = siteContext(deps.services, c, site);
    const started = await startSamlSignOut(ctx, site.pool, provider, domainBase, saml, state);
    const { browser } = browserOf(c, deps.services, site);
    deps.services.oauth.startUpstream({
      ...{ state, poolId: site.pool.id, clientId, browser, provider: saml.provider, query: "", domainBase, nonce: "" },
      data: { samlLogoutRequestId: started.requestId, next: target },
    });
    return redirect(c, started.url);
  } catch (e) {
    if (!(e instanceof UpstreamError)) throw e;
    // The IdP's metadata unreadable now: the user is signed out here, and goes on.
    deps.services.log.info(`cognito-twin: SAML sign-out at ${saml.provider} not started: ${e.description}`);
    return redirect(c, target);
  }
}

function endSession(c: Context, site: Site, deps: HostedDeps): void {
  const id = sessionCookie(c);
  if (id !== undefined) deps.services.oauth.endSession(id);
  clearSessionCookie(c, site);
}

/** Also used by the routes: the handler for a method a page does not take. */
export function methodNotAllowed(c: Context, site: Site, allow: string): Promise<Response> {
  c.header("Allow", allow);
  return errorPage(c, site, "invalid_request", { key: "methodNotAllowed", vars: { allow } }, 405);
}
