// Upstream OpenID Connect providers for the federation tests, on 127.0.0.1:
//
// - `startOidcProvider`: a real, independent one, panva's oidc-provider, with one client and a
//   set of accounts. Its login is a test's decision instead of a form: `next` names the account
//   the next sign-in picks, or `refuse` makes the provider answer access_denied.
// - `startFakeOidc`: a small hand-made provider whose token answer a test bends (an id token
//   signed with another key, for another audience, another issuer, a wrong nonce, garbage), for
//   the bad input no well-behaved provider produces.
//
// `followUpstream` plays the browser at the provider: it follows its redirects (with its
// cookies) until the provider sends the browser back elsewhere, and answers that URL.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import Provider, { type Configuration } from "oidc-provider";

export interface OidcUpstream {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Which account the next sign-in picks, or a refusal. */
  next: { account: string } | { refuse: true };
  /** The requests the provider served (method and path), in order. */
  readonly requests: { method: string; path: string }[];
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * A real OIDC provider with one confidential client registered for `redirectUris`. With
 * `discoveryMaxAge`, its discovery document and JWKS answer `Cache-Control: public,
 * max-age=<seconds>`, as Google's, Microsoft's and Okta's do (oidc-provider sends no caching
 * header of its own there).
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts: Record<string, Readonly<Record<string, unknown>>>;
  discoveryMaxAge?: number;
}): Promise<OidcUpstream> {
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "twin-rp";
  const clientSecret = "twin-rp-secret-0123456789";
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: "upstream-1", alg: "RS256", use: "sig" };
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk as never] },
    cookies: { keys: ["oidc-upstream-test-cookie-key"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name"],
    },
    // Cognito sends no PKCE upstream: a provider that required it would refuse it.
    pkce: { required: () => false },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const claims = options.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  const upstream: OidcUpstream = {
    issuer,
    clientId,
    clientSecret,
    next: { account: Object.keys(options.accounts)[0]! },
    requests: [],
    close: () => closeServer(server),
  };
  server.on("request", (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    upstream.requests.push({ method: req.method ?? "GET", path });
    if (options.discoveryMaxAge !== undefined && (path === "/.well-known/openid-configuration" || path === "/jwks"))
      res.setHeader("cache-control", `public, max-age=${options.discoveryMaxAge}`);
    if (!path.startsWith("/interaction/")) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const choice = upstream.next;
      if ("refuse" in choice) {
        await provider.interactionFinished(
          req,
          res,
          { error: "access_denied", error_description: "End-User aborted interaction" },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant = new provider.Grant({ accountId: choice.account, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? "openid"));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: choice.account }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  return upstream;
}

/** How the fake provider bends its token answer. */
type FakeMode =
  | "good"
  | "wrong-signature"
  | "wrong-audience"
  | "wrong-issuer"
  | "wrong-nonce"
  | "expired"
  | "garbage-token"
  | "token-error"
  | "garbage-discovery";

export interface FakeOidc {
  readonly issuer: string;
  mode: FakeMode;
  /** The last authorize request's parameters, and the last token request's form. */
  lastAuthorize?: URLSearchParams;
  lastToken?: URLSearchParams;
  close(): Promise<void>;
}

/** A hand-made OIDC provider: discovery, authorize (answers at once), token, JWKS, userinfo. */
export async function startFakeOidc(clientId: string): Promise<FakeOidc> {
  const good = await generateKeyPair("RS256");
  const other = await generateKeyPair("RS256");
  const publicJwk: JWK = { ...(await exportJWK(good.publicKey)), kid: "fake-1", alg: "RS256", use: "sig" };
  const server = createServer();
  const port = await listen(server);
  const issuer = `http://127.0.0.1:${port}`;
  const codes = new Map<string, string>();
  const fake: FakeOidc = { issuer, mode: "good", close: () => closeServer(server) };
  const json = (res: import("node:http").ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  server.on("request", (req, res) => {
    const url = new URL(req.url ?? "/", issuer);
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      void (async () => {
        if (url.pathname === "/.well-known/openid-configuration") {
          if (fake.mode === "garbage-discovery") {
            res.writeHead(200, { "content-type": "text/html" });
            return res.end("<html>not json at all");
          }
          return json(res, 200, {
            issuer,
            authorization_endpoint: `${issuer}/authorize`,
            token_endpoint: `${issuer}/token`,
            jwks_uri: `${issuer}/jwks`,
            userinfo_endpoint: `${issuer}/userinfo`,
            response_types_supported: ["code"],
            subject_types_supported: ["public"],
            id_token_signing_alg_values_supported: ["RS256"],
          });
        }
        if (url.pathname === "/jwks") return json(res, 200, { keys: [publicJwk] });
        if (url.pathname === "/authorize") {
          fake.lastAuthorize = url.searchParams;
          const code = `code-${codes.size + 1}`;
          codes.set(code, url.searchParams.get("nonce") ?? "");
          const back = new URL(url.searchParams.get("redirect_uri")!);
          back.searchParams.set("code", code);
          back.searchParams.set("state", url.searchParams.get("state") ?? "");
          res.writeHead(302, { location: back.toString() });
          return res.end();
        }
        if (url.pathname === "/token") {
          const form = new URLSearchParams(body);
          fake.lastToken = form;
          if (fake.mode === "token-error")
            return json(res, 400, { error: "invalid_grant", error_description: "The code has expired" });
          if (fake.mode === "garbage-token") {
            res.writeHead(200, { "content-type": "application/json" });
            return res.end("{ this is not json");
          }
          const nonce = codes.get(form.get("code") ?? "") ?? "";
          const now = Math.floor(Date.now() / 1000);
          const claims = {
            sub: "fake-user-1",
            email: "fake@example.com",
            nonce: fake.mode === "wrong-nonce" ? "not-the-nonce" : nonce,
          };
          const idToken = await new SignJWT(claims)
            .setProtectedHeader({ alg: "RS256", kid: "fake-1" })
            .setIssuer(fake.mode === "wrong-issuer" ? "https://someone-else.example.com" : issuer)
            .setAudience(fake.mode === "wrong-audience" ? "another-client" : clientId)
            .setIssuedAt(fake.mode === "expired" ? now - 7200 : now)
            .setExpirationTime(fake.mode === "expired" ? now - 3600 : now + 3600)
            .sign(fake.mode === "wrong-signature" ? other.privateKey : good.privateKey);
          return json(res, 200, {
            access_token: "fake-access",
            token_type: "Bearer",
            expires_in: 3600,
            id_token: idToken,
          });
        }
        if (url.pathname === "/userinfo") return json(res, 200, { sub: "fake-user-1", email: "fake@example.com" });
        res.writeHead(404);
        res.end();
      })().catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
  });
  return fake;
}

/**
 * Plays the browser at an upstream: follows its redirects, keeping its cookies, until one leads
 * away from `upstreamOrigin`; answers that URL (the emulator's idpresponse, usually).
 */
export async function followUpstream(start: string, upstreamOrigin = new URL(start).origin): Promise<string> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 15; hop++) {
    if (new URL(url).origin !== upstreamOrigin) return url;
    const res = await fetch(url, {
      redirect: "manual",
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    await res.arrayBuffer();
    const location = res.headers.get("location");
    if (!location) throw new Error(`the upstream answered ${res.status} without a redirect at ${url}`);
    url = new URL(location, url).toString();
  }
  throw new Error("too many redirects at the upstream");
}
