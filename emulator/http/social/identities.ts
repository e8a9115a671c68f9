// What the built-in social provider stand-ins remember (memory only, emptied by reset): the test
// identities each provider knows (typed on its page or registered with the test control), the
// sign-ins shown on a page, the codes and access tokens it handed out, which apps an Apple user
// has shared a name with already, and each provider's signing key (RS256, made on first use).
// Also the identities' shapes: each provider's id format, and what its tokens and profile calls
// say about a user, as the provider documents them.
import { createHash, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { Clock } from "../../core/clock.js";
import type { SocialProviderType } from "../../domain/federation/social.js";
import { newOpaque } from "../../services/ids.js";

/** A user at a social provider, as the stand-in knows it. */
export interface SocialIdentity {
  /** The provider's id: Google's numeric `sub`, Facebook's `id`, Amazon's `user_id`, Apple's `sub`. */
  readonly sub: string;
  readonly email: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Google and Apple say whether the address is verified (true unless told otherwise). */
  readonly emailVerified: boolean;
  /** Google's and Facebook's profile picture URL. */
  readonly picture?: string | undefined;
  /** Google: the Workspace domain (`hd`), for an address outside gmail.com. */
  readonly hostedDomain?: string | undefined;
  /** Amazon: the postal code (with the `postal_code` scope). */
  readonly postalCode?: string | undefined;
  /** Apple: the user chose "Hide My Email", so apps see a private relay address. */
  readonly privateEmail?: boolean | undefined;
  /** More claims or profile fields, as given (Google's `locale`, Facebook's `birthday`...). */
  readonly extra?: Readonly<Record<string, unknown>> | undefined;
}

export function fullName(identity: SocialIdentity): string {
  return [identity.givenName, identity.familyName].filter((part) => part !== "").join(" ");
}

/** A digest of the provider and the address, so that the same email is the same user again. */
function digest(type: SocialProviderType, email: string): Buffer {
  return createHash("sha256").update(`${type}\n${email.trim().toLowerCase()}`).digest();
}

function digits(bytes: Buffer, count: number): string {
  let out = "";
  for (let i = 0; out.length < count; i++) out += String(bytes[i % bytes.length]! % 10);
  return out;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * The provider's id of the user with this address, in the provider's format: Google a 21-digit
 * number, Facebook a 17-digit app-scoped id, Amazon `amzn1.account.` and 28 base32 letters,
 * Apple `<6 digits>.<32 hex>.<4 digits>`. Derived from the address, so an identity typed again
 * (or after a restart, with federated users kept in a data directory) is the same user.
 */
function subjectFor(type: SocialProviderType, email: string): string {
  const d = digest(type, email);
  switch (type) {
    case "Google":
      return `1${digits(d, 20)}`;
    case "Facebook":
      return `10${digits(d.subarray(8), 15)}`;
    case "LoginWithAmazon":
      return `amzn1.account.${Array.from(d.subarray(0, 28), (b) => BASE32[b % 32]).join("")}`;
    case "SignInWithApple":
      return `00${digits(d, 4)}.${d.subarray(4, 20).toString("hex")}.${digits(d.subarray(20), 4)}`;
  }
}

/** The address Apple gives an app for a user who hides theirs. */
export function privateRelayEmail(sub: string): string {
  const local = createHash("sha256").update(sub).digest("hex").slice(0, 10);
  return `${local}@privaterelay.appleid.com`;
}

/** Address domains that are Google accounts, not Workspace ones (no `hd`). */
const CONSUMER_GOOGLE = new Set(["gmail.com", "googlemail.com"]);

/** An identity from its address and name, the rest as each provider sets it by default. */
export function newIdentity(
  type: SocialProviderType,
  fields: {
    email: string;
    givenName: string;
    familyName: string;
    sub?: string | undefined;
    emailVerified?: boolean | undefined;
    picture?: string | undefined;
    hostedDomain?: string | undefined;
    postalCode?: string | undefined;
    privateEmail?: boolean | undefined;
    extra?: Record<string, unknown> | undefined;
  },
): SocialIdentity {
  const email = fields.email.trim();
  const sub = fields.sub ?? subjectFor(type, email);
  const domain = email.split("@")[1]?.toLowerCase() ?? "";
  const picture =
    fields.picture ??
    (type === "Google"
      ? `https://lh3.googleusercontent.com/a/${sub}=s96-c`
      : type === "Facebook"
        ? `https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=${sub}&height=50&width=50`
        : undefined);
  return {
    sub,
    email,
    givenName: fields.givenName.trim(),
    familyName: fields.familyName.trim(),
    emailVerified: fields.emailVerified ?? true,
    ...(picture !== undefined ? { picture } : {}),
    ...(type === "Google" && (fields.hostedDomain ?? (CONSUMER_GOOGLE.has(domain) ? "" : domain))
      ? { hostedDomain: fields.hostedDomain ?? domain }
      : {}),
    ...(type === "LoginWithAmazon" && fields.postalCode ? { postalCode: fields.postalCode } : {}),
    ...(type === "SignInWithApple" && fields.privateEmail ? { privateEmail: true } : {}),
    ...(fields.extra && Object.keys(fields.extra).length > 0 ? { extra: fields.extra } : {}),
  };
}

/** A sign-in the authorize page is showing: what the provider was asked. */
export interface PendingSignIn {
  readonly id: string;
  readonly type: SocialProviderType;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state?: string | undefined;
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
  /** Apple: `form_post` (what Cognito asks for) or `query`. */
  readonly responseMode: "query" | "form_post";
  /** Apple may be asked for `code id_token`: the id token then comes with the code. */
  readonly responseType: string;
  readonly expiresAt: number;
}

/** A code the stand-in handed out: single use, ten minutes. */
export interface IssuedCode {
  readonly type: SocialProviderType;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
  readonly authTime: number;
  readonly expiresAt: number;
}

/** An access token the stand-in handed out: good for its profile calls for an hour. */
export interface IssuedAccessToken {
  readonly type: SocialProviderType;
  readonly clientId: string;
  readonly sub: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
}

/** The stand-ins' lifetimes: a page's sign-in 15 minutes, codes 10, access tokens an hour. */
const STAND_IN_LIFETIMES_MS = { pending: 15 * 60_000, code: 10 * 60_000, accessToken: 60 * 60_000 } as const;

/** Upper bounds, so that a long run cannot grow the heap without end. */
const LIMIT = 10_000;
const IDENTITY_LIMIT = 1_000;

/** A signing key of one provider, its public half as the JWKS shows it. */
export interface StandInKey {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  readonly publicJwk: JWK;
}

function put<V extends { readonly expiresAt: number }>(map: Map<string, V>, key: string, value: V, now: number): void {
  if (map.size >= LIMIT) {
    for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
    while (map.size >= LIMIT) map.delete(map.keys().next().value!);
  }
  map.set(key, value);
}

function live<V extends { readonly expiresAt: number }>(map: Map<string, V>, key: string, now: number): V | undefined {
  const v = map.get(key);
  if (v === undefined) return undefined;
  if (v.expiresAt <= now) {
    map.delete(key);
    return undefined;
  }
  return v;
}

/** Everything the four stand-ins hold, by provider. */
export class StandInState {
  private readonly identities = new Map<SocialProviderType, Map<string, SocialIdentity>>();
  private readonly auto = new Map<SocialProviderType, string>();
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedAccessToken>();
  /** Apple: `<client>|<sub>` of the users who have signed in to an app before. */
  private readonly appleSeen = new Set<string>();
  private readonly keys = new Map<SocialProviderType, Promise<StandInKey>>();

  constructor(readonly clock: Clock) {}

  /** The identities a provider knows, most recently used first. */
  list(type: SocialProviderType): SocialIdentity[] {
    return [...(this.identities.get(type)?.values() ?? [])].reverse();
  }

  identity(type: SocialProviderType, sub: string): SocialIdentity | undefined {
    return this.identities.get(type)?.get(sub);
  }

  /** Keeps (or replaces) an identity, as the most recently used. */
  remember(type: SocialProviderType, identity: SocialIdentity): void {
    let known = this.identities.get(type);
    if (!known) {
      known = new Map();
      this.identities.set(type, known);
    }
    known.delete(identity.sub);
    if (known.size >= IDENTITY_LIMIT) known.delete(known.keys().next().value!);
    known.set(identity.sub, identity);
  }

  /** The identity every authorize request at the provider signs in at once, if one is set. */
  autoSignIn(type: SocialProviderType): SocialIdentity | undefined {
    const sub = this.auto.get(type);
    return sub === undefined ? undefined : this.identity(type, sub);
  }

  setAutoSignIn(type: SocialProviderType, sub: string | undefined): void {
    if (sub === undefined) this.auto.delete(type);
    else this.auto.set(type, sub);
  }

  /** Forgets a provider's identities (and its automatic sign-in); answers how many there were. */
  forget(type: SocialProviderType): number {
    const count = this.identities.get(type)?.size ?? 0;
    this.identities.delete(type);
    this.auto.delete(type);
    return count;
  }

  startPending(p: Omit<PendingSignIn, "id" | "expiresAt">): PendingSignIn {
    const now = this.clock.now();
    const pending: PendingSignIn = { ...p, id: newOpaque(24), expiresAt: now + STAND_IN_LIFETIMES_MS.pending };
    put(this.pending, pending.id, pending, now);
    return pending;
  }

  /** The sign-in a page's form names; it ends with the first answer. */
  takePending(type: SocialProviderType, id: string): PendingSignIn | undefined {
    const p = live(this.pending, id, this.clock.now());
    if (p === undefined || p.type !== type) return undefined;
    this.pending.delete(id);
    return p;
  }

  issueCode(c: Omit<IssuedCode, "expiresAt">): string {
    const now = this.clock.now();
    const code = codeFormat(c.type);
    put(this.codes, code, { ...c, expiresAt: now + STAND_IN_LIFETIMES_MS.code }, now);
    return code;
  }

  /** The code's grant, once: a second redemption finds nothing. */
  redeemCode(type: SocialProviderType, code: string): IssuedCode | undefined {
    const c = live(this.codes, code, this.clock.now());
    if (c === undefined || c.type !== type) return undefined;
    this.codes.delete(code);
    return c;
  }

  issueAccessToken(t: Omit<IssuedAccessToken, "expiresAt">): { token: string; expiresIn: number } {
    const now = this.clock.now();
    const token = accessTokenFormat(t.type);
    put(this.tokens, token, { ...t, expiresAt: now + STAND_IN_LIFETIMES_MS.accessToken }, now);
    return { token, expiresIn: STAND_IN_LIFETIMES_MS.accessToken / 1000 };
  }

  accessToken(type: SocialProviderType, token: string): IssuedAccessToken | undefined {
    const t = live(this.tokens, token, this.clock.now());
    return t?.type === type ? t : undefined;
  }

  /** Apple: true the first time a user signs in to an app (the name is shared only then). */
  firstAppleSignIn(clientId: string, sub: string): boolean {
    const key = `${clientId}|${sub}`;
    if (this.appleSeen.has(key)) return false;
    if (this.appleSeen.size >= LIMIT) this.appleSeen.clear();
    this.appleSeen.add(key);
    return true;
  }

  /** The provider's signing key, made on first use. */
  key(type: SocialProviderType): Promise<StandInKey> {
    let key = this.keys.get(type);
    if (!key) {
      key = makeKey();
      this.keys.set(type, key);
    }
    return key;
  }

  /** Drops everything but the signing keys (POST /_twin/reset). */
  clear(): void {
    this.identities.clear();
    this.auto.clear();
    this.pending.clear();
    this.codes.clear();
    this.tokens.clear();
    this.appleSeen.clear();
  }
}

async function makeKey(): Promise<StandInKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = newOpaque(12);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

/** Codes look like each provider's: Google `4/0A...`, Amazon `ANx...`, Apple `c...`, Facebook long base64. */
function codeFormat(type: SocialProviderType): string {
  switch (type) {
    case "Google":
      return `4/0A${newOpaque(54)}`;
    case "Facebook":
      return `AQ${newOpaque(160)}`;
    case "LoginWithAmazon":
      return `AN${newOpaque(15)}`;
    case "SignInWithApple":
      return `c${randomBytes(16).toString("hex").slice(0, 31)}.0.m${newOpaque(6)}`;
  }
}

/** Access tokens look like each provider's: Google `ya29.`, Facebook `EAA`, Amazon `Atza|`, Apple `a...`. */
function accessTokenFormat(type: SocialProviderType): string {
  switch (type) {
    case "Google":
      return `ya29.${newOpaque(120)}`;
    case "Facebook":
      return `EAA${newOpaque(150)}`;
    case "LoginWithAmazon":
      return `Atza|${newOpaque(180)}`;
    case "SignInWithApple":
      return `a${randomBytes(16).toString("hex").slice(0, 31)}.0.${newOpaque(8)}`;
  }
}
