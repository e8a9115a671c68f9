/** @jsxImportSource hono/jsx */
// The built-in social provider stand-ins' pages, rendered on the server with Hono's JSX (every
// value escaped by JSX): the sign-in page (pick an identity the provider knows, type a new one,
// or cancel), the provider's error page, and Apple's form post back to the app. Readable at
// 360px, every input labelled. The Firebase Auth emulator's fake provider page is the model.

import { raw } from "hono/html";
import type { Child, FC } from "hono/jsx";
import type { SocialProviderType } from "../../domain/federation/social.js";
import { fullName, type SocialIdentity } from "./identities.js";

/** What each provider is called on its page, its real host, and its colour. */
const PROVIDER_LOOK: Readonly<Record<SocialProviderType, { name: string; host: string; colour: string }>> = {
  Google: { name: "Google", host: "accounts.google.com", colour: "#1a73e8" },
  Facebook: { name: "Facebook", host: "www.facebook.com", colour: "#1877f2" },
  LoginWithAmazon: { name: "Amazon", host: "www.amazon.com", colour: "#c45500" },
  SignInWithApple: { name: "Apple", host: "appleid.apple.com", colour: "#000000" },
};

/** Styles in the page, so there is nothing else to fetch. No quotes or brackets (JSX escapes them). */
const STYLE = [
  "*{box-sizing:border-box}",
  "body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1b1b1f;background:#f3f4f6}",
  "main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}",
  ".badge{display:inline-block;margin:0 0 .5rem;padding:.1rem .5rem;font-size:.8rem;color:#fff;background:var(--brand);border-radius:999px}",
  "h1{font-size:1.35rem;margin:0 0 .25rem}",
  "h2{font-size:1.05rem;margin:1.25rem 0 .5rem}",
  ".lead{margin:0 0 .75rem;color:#444}",
  ".scopes{margin:0 0 .5rem;color:#555;font-size:.9rem}",
  "ul.accounts{list-style:none;margin:0;padding:0}",
  "ul.accounts li{margin:0 0 .5rem}",
  "button.account{display:flex;gap:.75rem;align-items:center;width:100%;padding:.6rem;font:inherit;text-align:left;color:inherit;background:#fff;border:1px solid #c4c7cc;border-radius:6px;cursor:pointer}",
  "button.account:hover{background:#f5f7fa}",
  ".avatar{flex:none;display:inline-flex;align-items:center;justify-content:center;width:2.25rem;height:2.25rem;border-radius:50%;color:#fff;font-weight:700;background:var(--brand)}",
  ".who{display:flex;flex-direction:column;min-width:0}",
  ".who .email{color:#555;font-size:.9rem;overflow-wrap:anywhere}",
  ".field{margin:0 0 1rem}",
  "label{display:block;font-weight:600;margin:0 0 .25rem}",
  "input[type=text],input[type=email]{width:100%;padding:.6rem;font:inherit;border:1px solid #8a8f98;border-radius:4px}",
  ".check{display:flex;gap:.5rem;align-items:center;margin:0 0 1rem}",
  ".check label{display:inline;font-weight:400;margin:0}",
  "input:focus,button:focus{outline:3px solid #2563eb;outline-offset:2px}",
  "button.primary,button.secondary{width:100%;padding:.7rem;font:inherit;font-weight:600;border-radius:4px;cursor:pointer}",
  "button.primary{color:#fff;background:var(--brand);border:0}",
  "button.secondary{margin-top:.75rem;color:#1b1b1f;background:#fff;border:1px solid #8a8f98}",
  ".error{padding:.6rem;margin:0 0 1rem;color:#8b0000;background:#fdecec;border-radius:4px}",
  ".note{margin:1rem 0 0;color:#666;font-size:.85rem}",
  "code{font-family:ui-monospace,monospace;overflow-wrap:anywhere}",
  "@media (max-width:30rem){main{margin:0;min-height:100vh;border-radius:0;box-shadow:none}}",
].join("");

const Layout: FC<{ type: SocialProviderType; title: string; children?: Child }> = ({ type, title, children }) => {
  const look = PROVIDER_LOOK[type];
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="no-referrer" />
          <title>{`${title} - ${look.name} (local stand-in)`}</title>
          <style>{`${STYLE}:root{--brand:${look.colour}}`}</style>
        </head>
        <body>
          <main>
            <span class="badge">{`${look.name} · local stand-in`}</span>
            <h1>{title}</h1>
            {children}
            <p class="note">
              This page stands in for <code>{look.host}</code>: no real {look.name} account is used, and nothing leaves
              this machine.
            </p>
          </main>
        </body>
      </html>
    </>
  );
};

/** What a provider's sign-in shares, by the scopes the app asked for. */
function sharedWords(type: SocialProviderType, scopes: readonly string[]): string {
  const has = (s: string) => scopes.includes(s);
  const parts: string[] = [];
  switch (type) {
    case "Google":
      if (has("profile")) parts.push("name", "profile picture");
      if (has("email")) parts.push("email address");
      break;
    case "Facebook":
      parts.push("public profile");
      if (has("email")) parts.push("email address");
      break;
    case "LoginWithAmazon":
      if (has("profile")) parts.push("name", "email address");
      else if (has("profile:user_id")) parts.push("user id");
      if (has("postal_code")) parts.push("postal code");
      break;
    case "SignInWithApple":
      if (has("name")) parts.push("name");
      if (has("email")) parts.push("email address");
      break;
  }
  if (parts.length === 0) return "your account id";
  const last = parts.pop()!;
  return `your ${parts.length > 0 ? `${parts.join(", ")} and ${last}` : last}`;
}

/** The sign-in page: the identities the provider knows, a form for a new one, and Cancel. */
export const SignInPage: FC<{
  type: SocialProviderType;
  action: string;
  pending: string;
  clientId: string;
  scopes: readonly string[];
  identities: readonly SocialIdentity[];
  error?: string | undefined;
  values?: Readonly<Record<string, string>> | undefined;
}> = (p) => {
  const look = PROVIDER_LOOK[p.type];
  const value = (name: string) => (p.values?.[name] !== undefined ? { value: p.values[name] } : {});
  return (
    <Layout type={p.type} title={`Sign in with ${look.name}`}>
      <p class="lead">
        to continue to <code>{p.clientId}</code>
      </p>
      <p class="scopes">{`${look.name} will share ${sharedWords(p.type, p.scopes)} with this app.`}</p>
      {p.error ? (
        <p class="error" role="alert">
          {p.error}
        </p>
      ) : null}
      {p.identities.length > 0 ? (
        <>
          <h2>Choose an account</h2>
          <ul class="accounts">
            {p.identities.map((identity) => (
              <li>
                <form method="post" action={p.action}>
                  <input type="hidden" name="pending" value={p.pending} />
                  <input type="hidden" name="choice" value="pick" />
                  <input type="hidden" name="sub" value={identity.sub} />
                  <button type="submit" class="account">
                    <span class="avatar" aria-hidden="true">
                      {(identity.givenName || identity.email).slice(0, 1).toUpperCase()}
                    </span>
                    <span class="who">
                      <span>{fullName(identity) || identity.email}</span>
                      <span class="email">{identity.email}</span>
                    </span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>{p.identities.length > 0 ? "Use another account" : "Enter a test identity"}</h2>
      <form method="post" action={p.action} novalidate>
        <input type="hidden" name="pending" value={p.pending} />
        <input type="hidden" name="choice" value="new" />
        <div class="field">
          <label for="f-email">Email</label>
          <input id="f-email" name="email" type="email" autocomplete="email" required {...value("email")} />
        </div>
        <div class="field">
          <label for="f-given">First name</label>
          <input id="f-given" name="given_name" type="text" autocomplete="given-name" {...value("given_name")} />
        </div>
        <div class="field">
          <label for="f-family">Last name</label>
          <input id="f-family" name="family_name" type="text" autocomplete="family-name" {...value("family_name")} />
        </div>
        {p.type === "Google" ? (
          <div class="check">
            <input id="f-verified" name="email_verified" type="checkbox" value="true" checked />
            <label for="f-verified">The email address is verified</label>
          </div>
        ) : null}
        {p.type === "LoginWithAmazon" ? (
          <div class="field">
            <label for="f-postal">Postal code</label>
            <input id="f-postal" name="postal_code" type="text" autocomplete="postal-code" {...value("postal_code")} />
          </div>
        ) : null}
        {p.type === "SignInWithApple" ? (
          <div class="check">
            <input id="f-hide" name="private_email" type="checkbox" value="true" />
            <label for="f-hide">Hide my email (share a private relay address)</label>
          </div>
        ) : null}
        <button type="submit" class="primary">
          Continue
        </button>
      </form>
      <form method="post" action={p.action}>
        <input type="hidden" name="pending" value={p.pending} />
        <input type="hidden" name="choice" value="refuse" />
        <button type="submit" class="secondary">
          Cancel
        </button>
      </form>
    </Layout>
  );
};

/** The provider's own error page: a request it will not send back to the app. */
export const ProviderErrorPage: FC<{ type: SocialProviderType; error: string; description: string }> = (p) => (
  <Layout type={p.type} title="This sign-in request is not valid">
    <p class="error" role="alert">
      {p.error}
    </p>
    <p>{p.description}</p>
  </Layout>
);

/**
 * Apple's answer with response_mode=form_post: a form to the redirect URI, posted at once by a
 * script the page's nonce allows (or by the button, without scripts).
 */
export const FormPostPage: FC<{
  type: SocialProviderType;
  action: string;
  fields: Record<string, string>;
  nonce: string;
}> = (p) => (
  <Layout type={p.type} title="Returning to the app">
    <form method="post" action={p.action} id="form-post">
      {Object.entries(p.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="primary">
        Continue
      </button>
    </form>
    <script nonce={p.nonce}>{raw('document.getElementById("form-post").submit();')}</script>
  </Layout>
);
