/** @jsxImportSource hono/jsx */
// The managed login pages, rendered on the server with Hono's JSX: plain forms, no script but
// the passkey pages' one (PASSKEY_SCRIPT, allowed by that page's CSP nonce alone; every other
// page's Content-Security-Policy allows none), readable at 360px, every input labelled, and every
// value escaped by JSX. Nothing here puts request data into markup unescaped. Every word comes
// through t() in the page's language (i18n.ts).

import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import { BrandingHead, BrandingHeader, BrandingLogo, type PageBranding } from "./branding.js";
import { type Language, t } from "./i18n.js";

/** Colours and spacing: minimal, in the page so there is nothing else to fetch. No quotes or brackets (JSX escapes them). */
const STYLE = [
  "*{box-sizing:border-box}",
  "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1f;background:#f3f4f6}",
  "main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}",
  "h1{font-size:1.35rem;margin:0 0 .25rem}",
  ".pool{margin:0 0 1.25rem;color:#555;font-size:.95rem}",
  ".field{margin:0 0 1rem}",
  "label{display:block;font-weight:600;margin:0 0 .25rem}",
  "input[type=text],input[type=password],input[type=email],input[type=tel],input[type=date]{width:100%;padding:.6rem;font:inherit;border:1px solid #8a8f98;border-radius:4px}",
  "input:focus,button:focus,a:focus{outline:3px solid #2563eb;outline-offset:2px}",
  "button{width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:4px;cursor:pointer}",
  "button.secondary{margin-top:.5rem;color:#1d4ed8;background:#fff;border:1px solid #1d4ed8}",
  ".error{padding:.6rem;margin:0 0 1rem;color:#8b0000;background:#fdecec;border-radius:4px}",
  ".notice{padding:.6rem;margin:0 0 1rem;color:#14532d;background:#e8f6ec;border-radius:4px}",
  ".links{margin:1rem 0 0;font-size:.95rem}",
  ".links a{color:#1d4ed8}",
  ".secret{display:block;margin:.25rem 0 0;font-family:ui-monospace,monospace;word-break:break-all;padding:.5rem;background:#f3f4f6;border-radius:4px}",
  ".qr{display:block;width:12rem;height:12rem;margin:.5rem auto 1rem}",
  ".provider{display:block;padding:.7rem;margin:0 0 .5rem;text-align:center;font-weight:600;color:#1d4ed8;border:1px solid #1d4ed8;border-radius:4px;text-decoration:none}",
  ".or{margin:.75rem 0;text-align:center;color:#555}",
  "fieldset{border:0;padding:0;margin:0 0 1rem}",
  "legend{font-weight:600;margin:0 0 .25rem}",
  ".choice{display:flex;gap:.5rem;align-items:center;margin:.25rem 0}",
  ".choice label{display:inline;font-weight:400}",
  // A phone: the card is the screen, not a card touching its edges.
  "@media (max-width:30rem){main{margin:0;min-height:100vh;border-radius:0;box-shadow:none}}",
].join("");

/** What every page shows: the pool's name as its heading's context, and the language it is in. */
export interface PageFrame {
  readonly poolName: string;
  readonly lang: Language;
  /** The app client's branding (branding.tsx), if it has any. */
  readonly branding?: PageBranding | undefined;
}

/** A whole page: the doctype (a constant), the head, the pool's name, the content. */
const Layout: FC<PageFrame & { title: string; children?: Child }> = ({ poolName, lang, branding, title, children }) => (
  <>
    {raw("<!DOCTYPE html>")}
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} - ${poolName}`}</title>
        <style>{STYLE}</style>
        <BrandingHead branding={branding} />
      </head>
      <body>
        <BrandingHeader branding={branding} />
        <main>
          <BrandingLogo branding={branding} />
          <h1>{title}</h1>
          <p class="pool">{poolName}</p>
          {children}
        </main>
      </body>
    </html>
  </>
);

/** A message above a form: an error (announced), or a notice. */
const Messages: FC<{ error?: string | undefined; notice?: string | undefined }> = ({ error, notice }) => (
  <>
    {error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : null}
    {notice ? (
      <p class="notice" role="status">
        {notice}
      </p>
    ) : null}
  </>
);

/** One labelled input. */
export interface FieldSpec {
  readonly name: string;
  readonly label: string;
  readonly type?: "text" | "password" | "email" | "tel" | "date";
  readonly autocomplete?: string;
  readonly required?: boolean;
  readonly inputmode?: "numeric" | "text";
}

const Field: FC<FieldSpec & { value?: string | undefined }> = (f) => (
  <div class="field">
    <label for={`f-${f.name}`}>{f.label}</label>
    <input
      id={`f-${f.name}`}
      name={f.name}
      type={f.type ?? "text"}
      autocomplete={f.autocomplete ?? "off"}
      {...(f.inputmode ? { inputmode: f.inputmode } : {})}
      {...(f.required === false ? {} : { required: true })}
      {...(f.value !== undefined && f.type !== "password" ? { value: f.value } : {})}
    />
  </div>
);

/** A form posting to `action` with the CSRF token and any hidden fields. */
const Form: FC<{ action: string; csrf: string; hidden?: Record<string, string>; children?: Child }> = ({
  action,
  csrf,
  hidden,
  children,
}) => (
  <form method="post" action={action} novalidate>
    <input type="hidden" name="_csrf" value={csrf} />
    {Object.entries(hidden ?? {}).map(([name, value]) => (
      <input type="hidden" name={name} value={value} />
    ))}
    {children}
  </form>
);

/** Links under a form. */
const Links: FC<{ links: readonly { href: string; text: string }[] }> = ({ links }) => (
  <p class="links">
    {links.map((l, i) => (
      <>
        {i > 0 ? " · " : null}
        <a href={l.href}>{l.text}</a>
      </>
    ))}
  </p>
);

/** An error the browser cannot be sent back to the app with (Cognito's /error page). */
export const ErrorPage: FC<PageFrame & { error: string; description: string }> = ({ error, description, ...frame }) => (
  <Layout {...frame} title={t(frame.lang, "errorTitle")}>
    <p class="error" role="alert">
      {error}
    </p>
    <p>{description}</p>
  </Layout>
);

/** A page that only tells the user something (the confirmation link's answer, /confirmUser). */
export const NoticePage: FC<PageFrame & { title: string; notice: string }> = ({ title, notice, ...frame }) => (
  <Layout {...frame} title={title}>
    <p class="notice" role="status">
      {notice}
    </p>
  </Layout>
);

/**
 * Sign in with a username and password (when the client lists COGNITO), or with one of the
 * client's identity providers: a button each, a plain link to /oauth2/authorize.
 */
export const LoginPage: FC<
  PageFrame & {
    action: string;
    csrf: string;
    usernameLabel: string;
    username?: string | undefined;
    error?: string | undefined;
    notice?: string | undefined;
    links: readonly { href: string; text: string }[];
    providers?: readonly { href: string; text: string }[];
    /** False: the client lists no COGNITO, so only the providers' buttons. */
    native?: boolean;
    /** Choice-based sign-in: the username alone, the ways to sign in on the next page. */
    usernameFirst?: boolean;
  }
> = (p) => (
  <Layout poolName={p.poolName} lang={p.lang} branding={p.branding} title={t(p.lang, "signInTitle")}>
    <Messages error={p.error} notice={p.notice} />
    {p.providers && p.providers.length > 0 ? (
      <nav class="providers" aria-label={t(p.lang, "providersLabel")}>
        {p.providers.map((b) => (
          <a class="provider" href={b.href}>
            {b.text}
          </a>
        ))}
        {p.native === false ? null : <p class="or">{t(p.lang, "or")}</p>}
      </nav>
    ) : null}
    {p.native === false ? null : (
      <Form action={p.action} csrf={p.csrf}>
        <Field
          name="username"
          label={p.usernameLabel}
          autocomplete={p.usernameFirst ? "username webauthn" : "username"}
          value={p.username}
        />
        {p.usernameFirst ? null : (
          <Field name="password" label={t(p.lang, "password")} type="password" autocomplete="current-password" />
        )}
        <button type="submit">{t(p.lang, p.usernameFirst ? "next" : "signInButton")}</button>
      </Form>
    )}
    {p.links.length > 0 ? <Links links={p.links} /> : null}
  </Layout>
);

/** A page of fields posted to one action (sign-up, codes, new passwords, forgotten passwords). */
export const FormPage: FC<
  PageFrame & {
    title: string;
    intro?: string | undefined;
    action: string;
    csrf: string;
    hidden?: Record<string, string>;
    fields: readonly FieldSpec[];
    values?: Readonly<Record<string, string>>;
    submit: string;
    /** A second button (its name and value are posted): "Resend code". */
    secondary?: { name: string; value: string; text: string } | undefined;
    error?: string | undefined;
    notice?: string | undefined;
    links?: readonly { href: string; text: string }[];
    children?: Child;
  }
> = (p) => (
  <Layout poolName={p.poolName} lang={p.lang} branding={p.branding} title={p.title}>
    <Messages error={p.error} notice={p.notice} />
    {p.intro ? <p>{p.intro}</p> : null}
    {p.children}
    <Form action={p.action} csrf={p.csrf} {...(p.hidden ? { hidden: p.hidden } : {})}>
      {p.fields.map((f) => (
        <Field {...f} value={p.values?.[f.name]} />
      ))}
      <button type="submit">{p.submit}</button>
      {p.secondary ? (
        <button type="submit" class="secondary" name={p.secondary.name} value={p.secondary.value} formnovalidate>
          {p.secondary.text}
        </button>
      ) : null}
    </Form>
    {p.links ? <Links links={p.links} /> : null}
  </Layout>
);

/** SELECT_MFA_TYPE: one radio button per factor the user may choose. */
export const SelectMfaPage: FC<
  PageFrame & {
    action: string;
    csrf: string;
    hidden: Record<string, string>;
    choices: readonly { value: string; text: string }[];
    error?: string | undefined;
    links: readonly { href: string; text: string }[];
  }
> = (p) => (
  <Layout poolName={p.poolName} lang={p.lang} branding={p.branding} title={t(p.lang, "selectMfaTitle")}>
    <Messages error={p.error} />
    <Form action={p.action} csrf={p.csrf} hidden={p.hidden}>
      <fieldset>
        <legend>{t(p.lang, "selectMfaLegend")}</legend>
        {p.choices.map((choice, i) => (
          <div class="choice">
            <input
              type="radio"
              id={`f-answer-${i}`}
              name="answer"
              value={choice.value}
              {...(i === 0 ? { checked: true } : {})}
            />
            <label for={`f-answer-${i}`}>{choice.text}</label>
          </div>
        ))}
      </fieldset>
      <button type="submit">{t(p.lang, "continue")}</button>
    </Form>
    <Links links={p.links} />
  </Layout>
);

/** MFA_SETUP: the authenticator secret, as text and as a QR code image (an SVG data URI). */
export const TotpSecret: FC<{ lang: Language; secret: string; qrDataUri: string }> = ({ lang, secret, qrDataUri }) => (
  <>
    <p>{t(lang, "mfaSetupScan")}</p>
    <img class="qr" src={qrDataUri} alt={t(lang, "mfaSetupQrAlt")} width="192" height="192" />
    <p>
      {t(lang, "mfaSetupSecret")} <span class="secret">{secret}</span>
    </p>
  </>
);

/** SELECT_CHALLENGE: the password (when the user has one), then a button for each other way to sign in. */
export const ChooseSignInPage: FC<
  PageFrame & {
    action: string;
    csrf: string;
    hidden: Record<string, string>;
    username: string;
    password: boolean;
    others: readonly { value: string; text: string }[];
    error?: string | undefined;
    links: readonly { href: string; text: string }[];
  }
> = (p) => (
  <Layout poolName={p.poolName} lang={p.lang} branding={p.branding} title={t(p.lang, "chooseTitle")}>
    <Messages error={p.error} />
    <p>{t(p.lang, "signingInAs", { username: p.username })}</p>
    <Form action={p.action} csrf={p.csrf} hidden={p.hidden}>
      {p.password ? (
        <>
          <Field name="password" label={t(p.lang, "password")} type="password" autocomplete="current-password" />
          <button type="submit" name="answer" value="PASSWORD">
            {t(p.lang, "passwordButton")}
          </button>
          {p.others.length > 0 ? <p class="or">{t(p.lang, "or")}</p> : null}
        </>
      ) : null}
      {p.others.map((o, i) => (
        <button
          type="submit"
          class={p.password || i > 0 ? "secondary" : undefined}
          name="answer"
          value={o.value}
          formnovalidate
        >
          {o.text}
        </button>
      ))}
    </Form>
    <Links links={p.links} />
  </Layout>
);

/**
 * The one script of managed login, run only where a page has a nonce for it: hands the options
 * (the button's data-options, PublicKeyCredential*OptionsJSON) to navigator.credentials.get or
 * .create and posts the credential's toJSON() in the form. A browser without WebAuthn's JSON
 * methods is told so; a refused or cancelled prompt says so and can be tried again.
 */
const PASSKEY_SCRIPT = [
  "(function(){",
  'var b=document.getElementById("passkey-button"),f=document.getElementById("passkey-form"),s=document.getElementById("passkey-status");',
  "function say(m){s.textContent=m;s.hidden=false}",
  "var P=window.PublicKeyCredential;",
  "if(!P||!P.parseRequestOptionsFromJSON||!P.parseCreationOptionsFromJSON||!navigator.credentials){say(b.dataset.unsupported);return}",
  "var o=JSON.parse(b.dataset.options);b.hidden=false;",
  'b.addEventListener("click",function(){b.disabled=true;',
  'var p=b.dataset.mode==="create"?navigator.credentials.create({publicKey:P.parseCreationOptionsFromJSON(o)}):navigator.credentials.get({publicKey:P.parseRequestOptionsFromJSON(o)});',
  "p.then(function(c){f.elements.credential.value=JSON.stringify(c.toJSON());f.submit()},function(){say(b.dataset.cancelled);b.disabled=false})",
  "})})();",
].join("");

/**
 * A passkey ceremony: signing in with one (mode get, the WEB_AUTHN challenge's options) or adding
 * one (mode create, StartWebAuthnRegistration's options). The button is shown by the script (its
 * nonce is the page's Content-Security-Policy's), and without scripts a message says why not.
 */
export const PasskeyPage: FC<
  PageFrame & {
    title: string;
    intro: string;
    action: string;
    csrf: string;
    hidden: Record<string, string>;
    mode: "get" | "create";
    options: string;
    nonce: string;
    button: string;
    cancelled: string;
    /** A second button posting skip=1 ("Not now"). */
    skip?: string | undefined;
    error?: string | undefined;
    links: readonly { href: string; text: string }[];
  }
> = (p) => (
  <Layout poolName={p.poolName} lang={p.lang} branding={p.branding} title={p.title}>
    <Messages error={p.error} />
    <p>{p.intro}</p>
    <p class="error" role="alert" id="passkey-status" hidden></p>
    <noscript>
      <p class="error">{t(p.lang, "passkeyNoScript")}</p>
    </noscript>
    <form method="post" action={p.action} id="passkey-form" novalidate>
      <input type="hidden" name="_csrf" value={p.csrf} />
      {Object.entries(p.hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="credential" value="" />
      <button
        type="button"
        id="passkey-button"
        data-mode={p.mode}
        data-options={p.options}
        data-cancelled={p.cancelled}
        data-unsupported={t(p.lang, "passkeyUnsupported")}
        hidden
      >
        {p.button}
      </button>
      {p.skip ? (
        <button type="submit" class="secondary" name="skip" value="1" formnovalidate>
          {p.skip}
        </button>
      ) : null}
    </form>
    <Links links={p.links} />
    <script nonce={p.nonce}>{raw(PASSKEY_SCRIPT)}</script>
  </Layout>
);
