// What the OAuth 2.0 endpoints and the managed login pages remember between requests: the
// authorization codes they hand out (single use, five minutes), the browsers' managed login
// sessions (the session cookie, one hour, as Cognito's), and the sign-ins in progress across
// pages (a challenge to answer, a code to confirm). All of it in memory only: bounded, expired
// by the emulator's clock, emptied by reset, and not kept across restarts even with --data-dir
// (docs/hosted-ui.md). The key that signs the pages' CSRF tokens is made once per process.
import { randomBytes } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { newOpaque, newUuid } from "./ids.js";

/** An authorization code: what the token endpoint needs to redeem it. */
export interface AuthCode {
  readonly code: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly sub: string;
  /** The redirect_uri of the authorize request: the token request must repeat it. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly nonce?: string | undefined;
  /** PKCE (RFC 7636): the challenge and its method (Cognito takes S256 only). */
  readonly codeChallenge?: string | undefined;
  readonly codeChallengeMethod?: "S256" | undefined;
  /** When the user signed in (epoch seconds), for the tokens' `auth_time`. */
  readonly authTime: number;
  readonly expiresAt: number;
}

/** A browser signed in to managed login: what its session cookie names. */
export interface HostedSession {
  readonly id: string;
  readonly poolId: string;
  readonly sub: string;
  readonly authTime: number;
  readonly expiresAt: number;
  /** The SAML IdP session the user signed in through, which /logout ends too (IDPSignout). */
  readonly saml?: SamlIdpSession | undefined;
}

/** A SAML sign-in's IdP session: the provider, and the NameID and SessionIndex a LogoutRequest names. */
export interface SamlIdpSession {
  readonly provider: string;
  readonly nameId: string;
  readonly nameIdFormat?: string | undefined;
  readonly sessionIndex?: string | undefined;
}

/** A sign-in in progress across pages, named by a hidden form field. */
export interface LoginFlow {
  readonly id: string;
  readonly poolId: string;
  readonly clientId: string;
  /** The browser it belongs to (its CSRF cookie): another browser cannot continue it. */
  readonly browser: string;
  /** addPasskey: the offer of a passkey after a managed login sign-in (http/hosted/flows.tsx). */
  readonly kind: "challenge" | "confirmSignUp" | "resetPassword" | "addPasskey";
  readonly username: string;
  /** Per kind: the challenge's name, Session and parameters; the TOTP secret being set up. */
  readonly data: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

/**
 * A sign-in sent on to an upstream identity provider (OIDC, a social provider, SAML), named by
 * the `state` (or SAML RelayState) the emulator sent it with: single use, five minutes (Cognito
 * "cancels authentication requests that do not complete within 5 minutes"), bound to the browser
 * that started it (docs/federation.md).
 */
export interface UpstreamFlow {
  /** The state sent to the upstream: the record's key, random, never reused. */
  readonly state: string;
  readonly poolId: string;
  readonly clientId: string;
  /** The browser that started it (its CSRF cookie's id). */
  readonly browser: string;
  /** The ProviderName the user signs in through. */
  readonly provider: string;
  /** The app's authorize request (its query), checked again when the upstream answers. */
  readonly query: string;
  /** Where the domain answered (`http://host:port` and `/_domain/<name>` or ""): the idpresponse URLs' base. */
  readonly domainBase: string;
  /** The nonce sent to an OIDC upstream, which its id token must carry. */
  readonly nonce: string;
  /** What the protocol keeps besides (a SAML request's id...). */
  readonly data: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

/** Cognito's lifetimes: codes five minutes, the managed login session cookie one hour. */
export const OAUTH_LIFETIMES_MS = {
  code: 5 * 60_000,
  session: 60 * 60_000,
  flow: 15 * 60_000,
  upstream: 5 * 60_000,
} as const;

/** Upper bounds, so that a long run or a flood of sign-ins cannot grow the heap without end. */
const OAUTH_LIMITS = { codes: 10_000, sessions: 10_000, flows: 10_000, upstream: 10_000 } as const;

/** A map that drops expired entries when full, then its oldest ones. */
class Bounded<V extends { readonly expiresAt: number }> {
  private readonly items = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get size(): number {
    return this.items.size;
  }

  put(key: string, value: V, now: number): void {
    this.items.delete(key);
    if (this.items.size >= this.limit) {
      for (const [k, v] of this.items) if (v.expiresAt <= now) this.items.delete(k);
      while (this.items.size >= this.limit) this.items.delete(this.items.keys().next().value!);
    }
    this.items.set(key, value);
  }

  /** The live entry, or undefined (an expired one is dropped on the way). */
  get(key: string, now: number): V | undefined {
    const v = this.items.get(key);
    if (v === undefined) return undefined;
    if (v.expiresAt <= now) {
      this.items.delete(key);
      return undefined;
    }
    return v;
  }

  take(key: string, now: number): V | undefined {
    const v = this.get(key, now);
    this.items.delete(key);
    return v;
  }

  delete(key: string): void {
    this.items.delete(key);
  }

  clear(): void {
    this.items.clear();
  }
}

/** The OAuth endpoints' short-lived state, for one emulator. */
export class OAuthSessions {
  /** Signs the CSRF tokens of the pages: random per process, so a restart voids open forms. */
  readonly csrfKey: Buffer = randomBytes(32);
  private readonly codes: Bounded<AuthCode>;
  private readonly sessions: Bounded<HostedSession>;
  private readonly flows: Bounded<LoginFlow>;
  private readonly upstream: Bounded<UpstreamFlow>;

  constructor(
    private readonly clock: Clock,
    limits: { codes: number; sessions: number; flows: number; upstream?: number } = OAUTH_LIMITS,
  ) {
    this.codes = new Bounded(limits.codes);
    this.sessions = new Bounded(limits.sessions);
    this.flows = new Bounded(limits.flows);
    this.upstream = new Bounded(limits.upstream ?? OAUTH_LIMITS.upstream);
  }

  /** How many of each are held (expired ones not yet dropped included). */
  get sizes(): { codes: number; sessions: number; flows: number; upstream: number } {
    return {
      codes: this.codes.size,
      sessions: this.sessions.size,
      flows: this.flows.size,
      upstream: this.upstream.size,
    };
  }

  /** A new authorization code, valid for five minutes. */
  issueCode(grant: Omit<AuthCode, "code" | "expiresAt">): AuthCode {
    const now = this.clock.now();
    const code: AuthCode = { ...grant, code: newUuid(), expiresAt: now + OAUTH_LIFETIMES_MS.code };
    this.codes.put(code.code, code, now);
    return code;
  }

  /** Redeems a code: answers it once, then never again; undefined when unknown or expired. */
  redeemCode(code: string): AuthCode | undefined {
    return this.codes.take(code, this.clock.now());
  }

  /** Opens a managed login session for a user who just signed in (or proved a code). */
  openSession(poolId: string, sub: string, authTime: number, saml?: SamlIdpSession): HostedSession {
    const now = this.clock.now();
    const session: HostedSession = {
      id: newOpaque(32),
      poolId,
      sub,
      authTime,
      expiresAt: now + OAUTH_LIFETIMES_MS.session,
      ...(saml ? { saml } : {}),
    };
    this.sessions.put(session.id, session, now);
    return session;
  }

  session(id: string): HostedSession | undefined {
    return this.sessions.get(id, this.clock.now());
  }

  endSession(id: string): void {
    this.sessions.delete(id);
  }

  /** Starts (or replaces) a sign-in in progress; answers it with its id. */
  startFlow(flow: Omit<LoginFlow, "id" | "expiresAt">): LoginFlow {
    const now = this.clock.now();
    const record: LoginFlow = { ...flow, id: newOpaque(24), expiresAt: now + OAUTH_LIFETIMES_MS.flow };
    this.flows.put(record.id, record, now);
    return record;
  }

  flow(id: string): LoginFlow | undefined {
    return this.flows.get(id, this.clock.now());
  }

  /** Adds to a sign-in's data, keeping its id and expiry; undefined when it is gone. */
  updateFlow(id: string, data: Readonly<Record<string, string>>): LoginFlow | undefined {
    const now = this.clock.now();
    const flow = this.flows.get(id, now);
    if (!flow) return undefined;
    const next: LoginFlow = { ...flow, data: { ...flow.data, ...data } };
    this.flows.put(id, next, now);
    return next;
  }

  endFlow(id: string): void {
    this.flows.delete(id);
  }

  /** Remembers a sign-in sent on to an upstream provider, for five minutes. */
  startUpstream(flow: Omit<UpstreamFlow, "expiresAt">): UpstreamFlow {
    const now = this.clock.now();
    const record: UpstreamFlow = { ...flow, expiresAt: now + OAUTH_LIFETIMES_MS.upstream };
    this.upstream.put(record.state, record, now);
    return record;
  }

  /** The sign-in `state` names, once: a replayed, unknown or expired state answers undefined. */
  takeUpstream(state: string): UpstreamFlow | undefined {
    return this.upstream.take(state, this.clock.now());
  }

  /** Forgets every code, session and sign-in in progress (reset). */
  clear(): void {
    this.codes.clear();
    this.sessions.clear();
    this.flows.clear();
    this.upstream.clear();
  }
}
