// Federated sign-in through Google, as the emulator offers it offline: a throwaway pool with a
// domain, a Google identity provider and an app client; sign-ins through the emulator's Google
// stand-in (an identity registered with autoSignIn, so no page is shown) from /oauth2/authorize
// to the tokens; the federated user; a changed name on the next sign-in; and a second Google
// identity linked to a native user with AdminLinkProviderForUser. Emulators only: live Cognito
// signs in at Google itself, which a scenario cannot drive.
import { randomBytes } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type AdminGetUserResponse,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { check, ExpectationFailed, equal, ok, status } from "./expect.js";
import { attempt, claims } from "./helpers.js";
import { excerpt, PageClient } from "./pages.js";
import type { Scenario, ScenarioContext, SocialStandIns } from "./types.js";

/** The app's callback, registered on the client; nothing listens there. */
const CALLBACK = "http://localhost:3000/callback";

/** The throwaway pool: its domain's base and the client. */
interface FederationPool {
  readonly poolId: string;
  readonly clientId: string;
  readonly base: string;
}

/** The emulator's URL, read from the run's domain (`<emulator>/_domain/<prefix>`). */
function emulatorOf(ctx: ScenarioContext): { endpoint: string; social: SocialStandIns } {
  const reason =
    "needs the emulator's Google stand-in (POST /_twin/social/google/identities); live Cognito signs in at Google itself";
  if (!ctx.social || "unavailable" in ctx.domain) return ctx.skip(reason);
  const base = new URL(ctx.domain.base);
  if (!base.pathname.startsWith("/_domain/")) return ctx.skip(reason);
  return { endpoint: base.origin, social: ctx.social };
}

/** Makes the pool, its domain, the Google provider and the client; runs `body`; deletes them. */
async function withFederationPool(
  ctx: ScenarioContext,
  endpoint: string,
  body: (pool: FederationPool) => Promise<void>,
): Promise<void> {
  const prefix = `scn-fed-${randomBytes(4).toString("hex")}`;
  let poolId: string | undefined;
  let domainMade = false;
  let passed = false;
  try {
    const pool = await ctx.step("make a pool with a domain, a Google provider and a client", async () => {
      const made = ok(
        await attempt(() =>
          ctx.cognito.send(
            new CreateUserPoolCommand({
              PoolName: `scenarios-federation-${randomBytes(4).toString("hex")}`,
              UsernameAttributes: ["email"],
              Schema: [{ Name: "name", Mutable: true }],
            }),
          ),
        ),
        "CreateUserPool",
      );
      poolId = made.UserPool!.Id!;
      const id = poolId;
      ok(
        await attempt(() => ctx.cognito.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: prefix }))),
        "CreateUserPoolDomain",
      );
      domainMade = true;
      ok(
        await attempt(() =>
          ctx.cognito.send(
            new CreateIdentityProviderCommand({
              UserPoolId: id,
              ProviderName: "Google",
              ProviderType: "Google",
              // Any app id and secret: the stand-in knows the apps of the pools' Google providers.
              ProviderDetails: {
                client_id: `scenarios-${prefix}.apps.googleusercontent.com`,
                client_secret: "scenarios-secret",
                authorize_scopes: "openid email profile",
              },
              AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
            }),
          ),
        ),
        "CreateIdentityProvider",
      );
      const client = ok(
        await attempt(() =>
          ctx.cognito.send(
            new CreateUserPoolClientCommand({
              UserPoolId: id,
              ClientName: "scenarios-federation-client",
              GenerateSecret: false,
              ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
              AllowedOAuthFlowsUserPoolClient: true,
              AllowedOAuthFlows: ["code"],
              AllowedOAuthScopes: ["openid", "email", "profile"],
              CallbackURLs: [CALLBACK],
              SupportedIdentityProviders: ["COGNITO", "Google"],
            }),
          ),
        ),
        "CreateUserPoolClient",
      );
      return { poolId: id, clientId: client.UserPoolClient!.ClientId!, base: `${endpoint}/_domain/${prefix}` };
    });
    await body(pool);
    passed = true;
  } finally {
    if (poolId !== undefined) {
      const id = poolId;
      const remove = async () => {
        if (domainMade)
          ok(
            await attempt(() => ctx.cognito.send(new DeleteUserPoolDomainCommand({ UserPoolId: id, Domain: prefix }))),
            "DeleteUserPoolDomain",
          );
        ok(await attempt(() => ctx.cognito.send(new DeleteUserPoolCommand({ UserPoolId: id }))), "DeleteUserPool");
      };
      // A step of its own after a passing body (a pool left behind fails the scenario); after a
      // failure, quietly, so the body's own error stays the scenario's.
      if (passed) await ctx.step("delete the pool, its domain and its users", remove);
      else await remove().catch(() => undefined);
    }
  }
}

/**
 * One sign-in through Google: `/oauth2/authorize?identity_provider=Google` in a fresh browser,
 * the stand-in (which signs the autoSignIn identity in at once), `/oauth2/idpresponse`, the
 * callback's code redeemed at `/oauth2/token`. Answers the id token's claims.
 */
async function signInThroughGoogle(pool: FederationPool): Promise<Record<string, unknown>> {
  const pages = new PageClient(pool.base);
  const state = randomBytes(8).toString("hex");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: pool.clientId,
    redirect_uri: CALLBACK,
    scope: "openid email profile",
    identity_provider: "Google",
    state,
  });
  const first = await pages.fetch(`${pool.base}/oauth2/authorize?${query}`);
  check(
    first.status === 302 && first.location?.includes("/_social/google/"),
    `authorize did not send the browser to the Google stand-in: ${first.status} ${first.location ?? excerpt(first.body)}`,
  );
  const back = await pages.follow(first);
  if (!back.location?.startsWith(`${CALLBACK}?`))
    throw new ExpectationFailed(
      `expected a redirect to ${CALLBACK}, got ${back.status}${back.location ? ` to ${back.location}` : `: ${excerpt(back.body)}`}`,
    );
  const q = new URL(back.location).searchParams;
  check(q.get("error") === null, `the callback got ${q.get("error")}: ${q.get("error_description")}`);
  equal(q.get("state"), state, "the app's state on the callback");
  const tokens = await status(
    await fetch(`${pool.base}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: pool.clientId,
        code: q.get("code")!,
        redirect_uri: CALLBACK,
      }).toString(),
    }),
    200,
    "POST /oauth2/token",
  );
  return claims(String(tokens.id_token));
}

/** A user's attributes by name. */
function attributesOf(user: AdminGetUserResponse): Record<string, string> {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value ?? ""]));
}

/** The `identities` attribute's entries (a JSON string), and the claim's (a list). */
function identityOf(value: unknown, what: string): Record<string, unknown> {
  const list = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  check(Array.isArray(list) && list.length === 1, `${what}: expected one identity, got ${JSON.stringify(value)}`);
  return list[0] as Record<string, unknown>;
}

const federatedSignIn: Scenario = {
  name: "federated-sign-in",
  description:
    "a pool with a Google provider: sign-in through the emulator's Google stand-in from authorize to tokens, the federated user (Google_<sub>, EXTERNAL_PROVIDER, identities), its name updated on the next sign-in, a second identity linked to a native user",
  async run(ctx) {
    const { endpoint, social } = emulatorOf(ctx);
    const tag = randomBytes(4).toString("hex");
    const gail = `scn-fed-${tag}-gail@example.com`;
    const nat = `scn-fed-${tag}-nat@example.com`;
    // The identities registered with autoSignIn, turned off again at the end (the stand-in is
    // the emulator's, shared by everything that runs against it).
    const registered: Record<string, unknown>[] = [];
    const register = async (identity: Record<string, unknown>) => {
      const kept = await social.register("google", { ...identity, autoSignIn: true });
      registered.push({ email: identity.email, sub: kept.sub });
      return String(kept.sub);
    };
    try {
      await withFederationPool(ctx, endpoint, async (pool) => {
        const getUser = async (username: string) =>
          ok(
            await attempt(() =>
              ctx.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username })),
            ),
            `AdminGetUser ${username}`,
          );
        const sub = await ctx.step("register a Google identity at the stand-in (autoSignIn)", () =>
          register({ email: gail, givenName: "Gail", familyName: "Ng" }),
        );
        await ctx.step("sign in through Google: authorize, the stand-in, idpresponse, the tokens", async () => {
          const id = await signInThroughGoogle(pool);
          equal(String(id["cognito:username"]).toLowerCase(), `google_${sub}`, "cognito:username");
          equal(id.email, gail, "email");
          equal(id.name, "Gail Ng", "name");
          const claim = identityOf(id.identities, "the id token's identities");
          equal(claim.userId, sub, "identities userId");
          equal(claim.providerName, "Google", "identities providerName");
          equal(claim.primary, "true", "identities primary (a string in the token)");
        });
        await ctx.step("the federated user: Google_<sub>, EXTERNAL_PROVIDER, the identities attribute", async () => {
          const user = await getUser(`Google_${sub}`);
          equal(user.UserStatus, "EXTERNAL_PROVIDER", "UserStatus");
          const attrs = attributesOf(user);
          equal(attrs.name, "Gail Ng", "name");
          const identity = identityOf(attrs.identities, "the identities attribute");
          equal(identity.userId, sub, "identities userId");
          equal(identity.providerType, "Google", "identities providerType");
          equal(identity.primary, true, "identities primary");
        });
        await ctx.step("sign in again with a changed name: the attribute follows", async () => {
          equal(await register({ email: gail, givenName: "Gail", familyName: "Ng-Park" }), sub, "the same sub");
          const id = await signInThroughGoogle(pool);
          equal(id.name, "Gail Ng-Park", "name in the id token");
          equal(attributesOf(await getUser(`Google_${sub}`)).name, "Gail Ng-Park", "name attribute");
        });
        const native = await ctx.step("make a native user", async () => {
          ok(
            await attempt(() =>
              ctx.cognito.send(
                new AdminCreateUserCommand({
                  UserPoolId: pool.poolId,
                  Username: nat,
                  MessageAction: "SUPPRESS",
                  UserAttributes: [
                    { Name: "email", Value: nat },
                    { Name: "email_verified", Value: "true" },
                    { Name: "name", Value: "Nat Native" },
                  ],
                }),
              ),
            ),
            "AdminCreateUser",
          );
          ok(
            await attempt(() =>
              ctx.cognito.send(
                new AdminSetUserPasswordCommand({
                  UserPoolId: pool.poolId,
                  Username: nat,
                  Password: `Scn-${randomBytes(6).toString("hex")}-Aa1!`,
                  Permanent: true,
                }),
              ),
            ),
            "AdminSetUserPassword",
          );
          const user = await getUser(nat);
          return { username: user.Username!, sub: attributesOf(user).sub! };
        });
        const natSub = await ctx.step("link a second Google identity to it (AdminLinkProviderForUser)", async () => {
          const second = await register({ email: `scn-fed-${tag}-nat.google@example.com`, name: "Nat Google" });
          ok(
            await attempt(() =>
              ctx.cognito.send(
                new AdminLinkProviderForUserCommand({
                  UserPoolId: pool.poolId,
                  DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: nat },
                  SourceUser: {
                    ProviderName: "Google",
                    ProviderAttributeName: "Cognito_Subject",
                    ProviderAttributeValue: second,
                  },
                }),
              ),
            ),
            "AdminLinkProviderForUser",
          );
          return second;
        });
        await ctx.step("that identity's sign-in yields the native user", async () => {
          const id = await signInThroughGoogle(pool);
          equal(id["cognito:username"], native.username, "cognito:username (the native user)");
          equal(id.sub, native.sub, "sub (the native user's)");
          const claim = identityOf(id.identities, "the id token's identities");
          equal(claim.userId, natSub, "identities userId");
          equal(claim.providerName, "Google", "identities providerName");
          // By its username: the mapping wrote the Google identity's email over the native one.
          const user = await getUser(native.username);
          check(user.UserStatus !== "EXTERNAL_PROVIDER", `the native user became ${user.UserStatus}`);
          // Mapped attributes are written on every sign-in, a linked user's too.
          equal(attributesOf(user).name, "Nat Google", "the native user's name after the sign-in");
          const federated = await attempt(() =>
            ctx.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: `Google_${natSub}` })),
          );
          check(!federated.ok, "the linked identity's sign-in made a federated user of its own");
        });
      });
    } finally {
      for (const identity of registered)
        await social.register("google", { ...identity, autoSignIn: false }).catch(() => undefined);
    }
  },
};

/** The federation scenarios, in run order. */
export const federationScenarios: readonly Scenario[] = [federatedSignIn];
