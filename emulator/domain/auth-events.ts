// Threat protection (UserPoolAddOns, the Plus plan): the auth events Cognito records of each
// user's sign-ins (AdminListUserAuthEvents), the risk configurations (SetRiskConfiguration) and
// the part of their actions that can be decided offline: blocked and skipped IP ranges, a
// blocklist of compromised passwords, and the account-takeover action for a risk level a test
// declares (there is no risk engine here). docs/threat-protection.md, docs/decisions/0025.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import type {
  AuthEventType,
  RiskConfigurationType,
  RiskExceptionConfigurationType,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../context.js";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import { newUuid } from "../services/ids.js";
import type {
  AuthEventRecord,
  DeepReadonly,
  RiskConfigurationRecord,
  StoredClient,
  StoredPool,
  StoredUser,
  UserRecord,
} from "../store/types.js";
import { findUser } from "./users/lookup.js";
import { updateUser } from "./users/update.js";

/**
 * Auth events kept per user, newest first; older ones are dropped. Cognito keeps events for
 * 90 days and pages them 60 at a time; a bound in numbers keeps a busy test user's record small.
 */
export const AUTH_EVENTS_KEPT = 100;

/** Threat protection's mode for standard authentication (UserPoolAddOns.AdvancedSecurityMode). */
type ThreatMode = "OFF" | "AUDIT" | "ENFORCED";

/** A stored risk configuration (read-only). */
type StoredRiskConfiguration = DeepReadonly<RiskConfigurationRecord>;

/**
 * The pool's threat protection mode: OFF unless UserPoolAddOns says AUDIT or ENFORCED. CUSTOM_AUTH
 * sign-ins (`custom`) follow AdvancedSecurityAdditionalFlows.CustomAuthMode instead, and are not
 * protected without one.
 */
function threatMode(pool: StoredPool, custom = false): ThreatMode {
  const addOns = pool.pool.UserPoolAddOns;
  const mode = addOns?.AdvancedSecurityMode;
  const standard = mode === "AUDIT" || mode === "ENFORCED" ? mode : "OFF";
  if (!custom || standard === "OFF") return standard;
  const customMode = addOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode;
  return customMode === "AUDIT" || customMode === "ENFORCED" ? customMode : "OFF";
}

/** How a sign-in reached the assessment (flows.ts' SignInEnd carries the same members). */
interface SignInFacts {
  /** The plaintext password the sign-in proved, for compromised-credentials detection (SRP has none). */
  readonly password?: string | undefined;
  /** False for a first factor that is not a password (a passkey, an emailed code). */
  readonly provedPassword?: boolean | undefined;
  /** True for a CUSTOM_AUTH sign-in (CustomAuthMode). */
  readonly custom?: boolean | undefined;
  /** True when the sign-in ends with a correct MFA code. */
  readonly mfa?: boolean | undefined;
}

/** Refuses a threat protection call on a pool where it is off (UserPoolAddOnNotEnabledException). */
export function requireThreatProtection(pool: StoredPool): void {
  if (threatMode(pool) === "OFF") throw errors.threatProtectionOff(pool.id);
}

/**
 * Threat protection is a feature of the Plus plan (AWS: "To activate this setting, your user pool
 * must be on the Plus tier"): UserPoolAddOns in AUDIT or ENFORCED (or a CustomAuthMode) on a pool
 * of another tier is FeatureUnavailableInTierException, for CreateUserPool and UpdateUserPool
 * alike (a downgrade must turn threat protection off first).
 */
export function checkThreatProtectionTier(pool: {
  readonly UserPoolTier?: string | undefined;
  readonly UserPoolAddOns?:
    | {
        readonly AdvancedSecurityMode?: string | undefined;
        readonly AdvancedSecurityAdditionalFlows?: { readonly CustomAuthMode?: string | undefined } | undefined;
      }
    | undefined;
}): void {
  const addOns = pool.UserPoolAddOns;
  const on =
    (addOns?.AdvancedSecurityMode !== undefined && addOns.AdvancedSecurityMode !== "OFF") ||
    addOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode !== undefined;
  const tier = pool.UserPoolTier ?? "ESSENTIALS";
  if (on && tier !== "PLUS") throw errors.featureUnavailableInTier(tier, "Threat protection");
}

// ---- risk configurations

/** The risk configuration that applies to a client: its own, else the pool's. */
export function riskConfigurationFor(pool: StoredPool, clientId?: string): StoredRiskConfiguration | undefined {
  const clients = pool.risk?.clients;
  if (clientId !== undefined && clients && Object.hasOwn(clients, clientId)) return clients[clientId];
  return pool.risk?.pool;
}

/** The risk configuration as SetRiskConfiguration and DescribeRiskConfiguration answer it. */
export function riskConfigurationType(
  poolId: string,
  clientId: string | undefined,
  config: StoredRiskConfiguration | undefined,
): Wire<RiskConfigurationType> {
  return {
    UserPoolId: poolId,
    ...(clientId !== undefined ? { ClientId: clientId } : {}),
    ...(config?.CompromisedCredentialsRiskConfiguration
      ? { CompromisedCredentialsRiskConfiguration: structuredClone(config.CompromisedCredentialsRiskConfiguration) }
      : {}),
    ...(config?.AccountTakeoverRiskConfiguration
      ? { AccountTakeoverRiskConfiguration: structuredClone(config.AccountTakeoverRiskConfiguration) }
      : {}),
    ...(config?.RiskExceptionConfiguration
      ? { RiskExceptionConfiguration: structuredClone(config.RiskExceptionConfiguration) }
      : {}),
    ...(config ? { LastModifiedDate: config.LastModifiedDate } : {}),
  } as Wire<RiskConfigurationType>;
}

/** One CIDR range, parsed; undefined when it is not `address/prefix` with a prefix the family allows. */
function parseRange(range: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | undefined {
  const slash = range.lastIndexOf("/");
  if (slash <= 0) return undefined;
  const address = range.slice(0, slash);
  const bits = range.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  const version = isIP(address);
  const prefix = Number(bits);
  if (version === 4 && prefix <= 32) return { address, prefix, family: "ipv4" };
  if (version === 6 && prefix <= 128) return { address, prefix, family: "ipv6" };
  return undefined;
}

/** Checks RiskExceptionConfiguration's ranges: each must be CIDR notation (InvalidParameterException). */
export function checkRiskExceptions(exceptions: Wire<RiskExceptionConfigurationType> | undefined): void {
  for (const range of [...(exceptions?.BlockedIPRangeList ?? []), ...(exceptions?.SkippedIPRangeList ?? [])]) {
    if (!parseRange(range)) throw errors.invalidIpRange(range);
  }
}

/** True when `ip` lies in one of the CIDR ranges. */
function inRanges(ip: string | undefined, ranges: readonly string[] | undefined): boolean {
  if (!ip || !ranges || ranges.length === 0) return false;
  const family = isIP(ip) === 6 ? "ipv6" : isIP(ip) === 4 ? "ipv4" : undefined;
  if (!family) return false;
  const list = new BlockList();
  for (const range of ranges) {
    const parsed = parseRange(range);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list.check(ip, family);
}

// ---- what tests declare

/** The SHA-256 (hex) a compromised password is kept as: the passwords themselves are never stored. */
export function compromisedPasswordHash(password: string): string {
  return createHash("sha256").update(password, "utf8").digest("hex");
}

/** True when a test declared `password` compromised for this pool (`POST /_twin/compromised-passwords`). */
export function isCompromisedPassword(pool: StoredPool, password: string): boolean {
  return pool.risk?.compromisedPasswords?.includes(compromisedPasswordHash(password)) === true;
}

// ---- assessing a sign-in

/** What recording and assessing an event uses: the user's lock, the clock, and the caller's address. */
type AuthEventContext = Pick<Services, "store" | "clock" | "locks"> & Pick<RequestFacts, "sourceIp">;

/** What assessing a sign-in uses besides: the inbox and the keys for notification emails and their links. */
type AssessContext = AuthEventContext & Pick<Services, "inbox" | "keys"> & Pick<RequestFacts, "baseUrl">;

/** Where the caller was: the connection's address (Cognito's IpAddress). */
function eventContext(ctx: Pick<RequestFacts, "sourceIp">): AuthEventRecord["context"] {
  return ctx.sourceIp ? { IpAddress: ctx.sourceIp } : {};
}

/** `user` (the copy updateUser writes) with `event` as its newest event, keeping AUTH_EVENTS_KEPT. */
function pushEvent(user: UserRecord, event: AuthEventRecord): void {
  user.authEvents = [event, ...(user.authEvents ?? [])].slice(0, AUTH_EVENTS_KEPT);
}

/** A new event of the user, in Cognito's shape (ids are UUIDs). */
function newEvent(
  ctx: AuthEventContext,
  eventType: AuthEventRecord["eventType"],
  response: AuthEventRecord["response"],
  risk: AuthEventRecord["risk"],
  challenges: AuthEventRecord["challenges"],
): AuthEventRecord {
  return {
    eventId: newUuid(),
    eventType,
    createdAt: ctx.clock.now(),
    response,
    risk,
    challenges,
    context: eventContext(ctx),
  };
}

/** Writes `event` as the user's newest (no modification Cognito shows: UserLastModifiedDate stays). */
async function recordEvent(ctx: AuthEventContext, pool: StoredPool, user: StoredUser, event: AuthEventRecord) {
  await updateUser(ctx, pool, user, (copy) => pushEvent(copy, event), {
    touch: false,
    gone: () => errors.userNotFound(),
  });
}

/**
 * Counts a wrong password (or SRP proof) as a failed SignIn event on `user`, the copy the
 * sign-in's own updateUser writes, when threat protection is on.
 */
export function noteWrongPassword(
  ctx: Pick<Services, "clock"> & Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  user: UserRecord,
): void {
  if (threatMode(pool) === "OFF") return;
  pushEvent(user, {
    eventId: newUuid(),
    eventType: "SignIn",
    createdAt: ctx.clock.now(),
    response: "Fail",
    risk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
    challenges: [{ ChallengeName: "Password", ChallengeResponse: "Failure" }],
    context: eventContext(ctx),
  });
}

/**
 * True when an MFA challenge will follow the password: the pool requires MFA (a user without a
 * factor is asked to set one up), or makes it optional and the user has turned a factor on.
 */
function mfaWillFollow(pool: StoredPool, user: StoredUser): boolean {
  const mode = pool.mfa.MfaConfiguration;
  if (mode === "ON") return true;
  return mode === "OPTIONAL" && (user.mfa.totp || user.mfa.sms || user.mfa.email);
}

/** How long an open event waits for the challenge answers that complete it: the longest AuthSessionValidity. */
const OPEN_EVENT_MS = 15 * 60_000;

/** The user's newest event if a sign-in in progress left it open (and it is recent enough to belong to it). */
function openEvent(user: StoredUser, now: number): DeepReadonly<AuthEventRecord> | undefined {
  const newest = user.authEvents?.[0];
  return newest?.open && now - newest.createdAt <= OPEN_EVENT_MS ? newest : undefined;
}

/**
 * Threat protection's assessment of a sign-in, once its first factor is proved (`facts`: the
 * plaintext password the caller sent, for compromised-credentials detection, SRP sending none;
 * whether the first factor was a password; whether it is CUSTOM_AUTH). Records the SignIn event, open until the sign-in ends (finishAuthEvent), and in ENFORCED mode applies:
 * - a BlockedIPRangeList match: blocked (NotAuthorizedException);
 * - a compromised password, EventFilter SIGN_IN and action BLOCK: the user is set to
 *   RESET_REQUIRED, as Cognito does, and the sign-in refused (PasswordResetRequiredException);
 * - the account-takeover action for the user's risk level: BLOCK refuses; MFA_REQUIRED refuses a
 *   user no MFA challenge would reach; MFA_IF_CONFIGURED and MFA_REQUIRED otherwise let the
 *   pool's MFA challenge the user (RiskDecision AccountTakeover).
 * AUDIT records the same event without acting (RiskDecision NoRisk). A SkippedIPRangeList match
 * skips every evaluation. Nothing happens while threat protection is OFF. A sign-in whose event
 * is still open (it answered a challenge and goes on through afterPassword again) is not
 * assessed twice.
 */
export async function assessSignIn(
  ctx: AssessContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  facts: SignInFacts = {},
): Promise<void> {
  const { password, provedPassword = true } = facts;
  const mode = threatMode(pool, facts.custom === true);
  if (mode === "OFF") return;
  // A sign-in that goes on after a challenge (a new password, then MFA) is still the one event.
  const current = ctx.store.getUserBySub(pool.id, user.sub);
  if (current && openEvent(current, ctx.clock.now())) return;
  const enforced = mode === "ENFORCED";
  const config = riskConfigurationFor(pool, client.client.ClientId);
  const exceptions = config?.RiskExceptionConfiguration;
  const passed: AuthEventRecord["challenges"] = provedPassword
    ? [{ ChallengeName: "Password", ChallengeResponse: "Success" }]
    : [];
  if (inRanges(ctx.sourceIp, exceptions?.BlockedIPRangeList)) {
    if (enforced) {
      await recordEvent(ctx, pool, user, newEvent(ctx, "SignIn", "Fail", { RiskDecision: "Block" }, passed));
      throw errors.signInBlockedForSecurity();
    }
    await recordEvent(ctx, pool, user, {
      ...newEvent(ctx, "SignIn", "InProgress", { RiskDecision: "NoRisk" }, passed),
      open: true,
    });
    return;
  }
  if (inRanges(ctx.sourceIp, exceptions?.SkippedIPRangeList)) {
    await recordEvent(ctx, pool, user, {
      ...newEvent(ctx, "SignIn", "InProgress", { RiskDecision: "NoRisk" }, passed),
      open: true,
    });
    return;
  }
  // No risk engine runs here: a user's sign-ins are at risk only at the level a test declared.
  const level = pool.risk?.riskLevels?.[user.sub];
  const compromisedConfig = config?.CompromisedCredentialsRiskConfiguration;
  // EventFilter defaults to every event (the model's documentation).
  const watchesSignIn = (compromisedConfig?.EventFilter ?? ["SIGN_IN"]).includes("SIGN_IN");
  const compromised = password !== undefined && watchesSignIn && isCompromisedPassword(pool, password);
  const risk = (decision: NonNullable<AuthEventRecord["risk"]["RiskDecision"]>): AuthEventRecord["risk"] => ({
    RiskDecision: enforced ? decision : "NoRisk",
    ...(level ? { RiskLevel: level } : {}),
    CompromisedCredentialsDetected: compromised,
  });
  if (enforced && compromised && compromisedConfig?.Actions?.EventAction === "BLOCK") {
    const event = newEvent(ctx, "SignIn", "Fail", risk("Block"), passed);
    await updateUser(
      ctx,
      pool,
      user,
      (copy) => {
        pushEvent(copy, event);
        copy.status = "RESET_REQUIRED";
      },
      { gone: () => errors.userNotFound() },
    );
    throw errors.passwordResetRequired();
  }
  const takeover = config?.AccountTakeoverRiskConfiguration;
  const configured = level ? takeover?.Actions?.[`${level}Action`] : undefined;
  const action = configured?.EventAction ?? "NO_ACTION";
  const blocks = action === "BLOCK" || (action === "MFA_REQUIRED" && !mfaWillFollow(pool, user));
  const event =
    enforced && blocks
      ? newEvent(ctx, "SignIn", "Fail", risk("Block"), passed)
      : {
          ...newEvent(ctx, "SignIn", "InProgress", risk(action === "NO_ACTION" ? "NoRisk" : "AccountTakeover"), passed),
          open: true,
        };
  await recordEvent(ctx, pool, user, event);
  // The user is told of a risky sign-in when the level's action says so (ENFORCED only).
  if (enforced && configured?.Notify && takeover?.NotifyConfiguration) {
    const kind = blocks ? "BlockEmail" : action === "NO_ACTION" ? "NoActionEmail" : "MfaEmail";
    await notifyUser(ctx, pool, user, event, takeover.NotifyConfiguration[kind]);
  }
  if (event.response === "Fail") throw errors.signInBlockedForSecurity();
}

/** What Cognito's notification says when the NotifyConfiguration has no template for it (ours). */
const DEFAULT_NOTICE = {
  Subject: "Security alert",
  TextBody:
    "We detected a sign-in attempt to your account {username} from {ip-address} at {login-time}. " +
    "Was this you? Yes: {one-click-link-valid} No: {one-click-link-invalid}",
};

/**
 * The email Cognito sends for a risky sign-in (AccountTakeoverActionType.Notify), to the user's
 * email address, put in the inbox: the template's `{username}`, `{ip-address}`, `{login-time}`,
 * `{city}`, `{country}`, `{device-name}` and the two one-click feedback links, which point at
 * `GET /_twin/auth-event-feedback` with the event's FeedbackToken.
 */
async function notifyUser(
  ctx: AssessContext,
  pool: StoredPool,
  user: StoredUser,
  event: AuthEventRecord,
  template: DeepReadonly<{ Subject?: string; TextBody?: string; HtmlBody?: string }> | undefined,
): Promise<void> {
  const email = user.attributes.find((a) => a.Name === "email")?.Value;
  if (!email) return;
  const token = await feedbackToken(ctx, pool.id, user.sub, event.eventId);
  const link = (value: "Valid" | "Invalid") =>
    `${ctx.baseUrl}/_twin/auth-event-feedback?${new URLSearchParams({
      userPoolId: pool.id,
      username: user.username,
      eventId: event.eventId,
      feedbackToken: token,
      feedbackValue: value,
    })}`;
  const values: Record<string, string> = {
    "{username}": user.username,
    "{ip-address}": event.context.IpAddress ?? "",
    "{login-time}": new Date(event.createdAt).toISOString(),
    "{city}": "",
    "{country}": "",
    "{device-name}": "",
    "{one-click-link-valid}": link("Valid"),
    "{one-click-link-invalid}": link("Invalid"),
  };
  const fill = (text: string) => text.replace(/\{[a-z-]+\}/g, (m) => values[m] ?? m);
  const body = template?.TextBody ?? template?.HtmlBody ?? DEFAULT_NOTICE.TextBody;
  ctx.inbox.add({
    userPoolId: pool.id,
    username: user.username,
    destination: email,
    deliveryMedium: "EMAIL",
    reason: "RiskNotification",
    subject: template?.Subject ?? DEFAULT_NOTICE.Subject,
    message: fill(body),
    createdAt: ctx.clock.now() / 1000,
  });
}

/**
 * The end of a sign-in that gets tokens: its open event (assessSignIn) passes, with the MFA
 * answer when the sign-in ends with one (`facts.mfa`). A sign-in that proved no password (a
 * passkey, an emailed code) has no open event, and is assessed here first. Nothing happens while
 * threat protection is OFF (for CUSTOM_AUTH, its CustomAuthMode).
 */
export async function finishAuthEvent(
  ctx: AssessContext,
  pool: StoredPool,
  client: StoredClient,
  user: StoredUser,
  facts: SignInFacts = {},
): Promise<void> {
  if (threatMode(pool, facts.custom === true) === "OFF") return;
  // The stored record: the one handed in may predate the event assessSignIn wrote.
  const current = ctx.store.getUserBySub(pool.id, user.sub);
  if (!current) return;
  if (!openEvent(current, ctx.clock.now()))
    await assessSignIn(ctx, pool, client, current, { custom: facts.custom, provedPassword: false });
  await updateUser(
    ctx,
    pool,
    user,
    (copy) => {
      const event = copy.authEvents?.[0];
      if (!event?.open) return;
      delete event.open;
      event.response = "Pass";
      if (facts.mfa) event.challenges.push({ ChallengeName: "Mfa", ChallengeResponse: "Success" });
    },
    { touch: false, gone: () => errors.userNotFound() },
  );
}

// ---- listing and feedback

/** The user's events as AdminListUserAuthEvents answers them, newest first. */
export function authEventType(event: DeepReadonly<AuthEventRecord>): Wire<AuthEventType> {
  return {
    EventId: event.eventId,
    EventType: event.eventType,
    CreationDate: event.createdAt / 1000,
    EventResponse: event.response,
    EventRisk: { ...event.risk },
    ChallengeResponses: event.challenges.map((c) => ({ ...c })),
    EventContextData: { ...event.context },
    ...(event.feedback
      ? {
          EventFeedback: {
            FeedbackValue: event.feedback.FeedbackValue,
            Provider: event.feedback.Provider,
            FeedbackDate: event.feedback.FeedbackDate / 1000,
          },
        }
      : {}),
  };
}

/** A secret for the feedback tokens, stable for as long as the pool keeps its signing keys. */
async function feedbackSecret(ctx: Pick<Services, "keys">, poolId: string): Promise<Buffer> {
  const keys = await ctx.keys.keysFor(poolId);
  return createHash("sha256")
    .update("cognito-twin/auth-event-feedback\0")
    .update(keys.id.privateKey.export({ format: "der", type: "pkcs8" }))
    .digest();
}

/**
 * The FeedbackToken of an event, as Cognito puts in its notification emails' links: an HMAC of
 * the pool, the user's sub and the event id, so it names one event of one user and is checked
 * without being stored. `GET /_twin/auth-events` shows it.
 */
export async function feedbackToken(
  ctx: Pick<Services, "keys">,
  poolId: string,
  sub: string,
  eventId: string,
): Promise<string> {
  return createHmac("sha256", await feedbackSecret(ctx, poolId))
    .update(`${poolId}\0${sub}\0${eventId}`)
    .digest("base64url");
}

/** True when `token` is the FeedbackToken of that event. */
export async function isFeedbackToken(
  ctx: Pick<Services, "keys">,
  poolId: string,
  sub: string,
  eventId: string,
  token: string,
): Promise<boolean> {
  const expected = Buffer.from(await feedbackToken(ctx, poolId, sub, eventId));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The user's event `eventId`, or Cognito's ResourceNotFoundException. */
export function requireAuthEvent(user: StoredUser, eventId: string): DeepReadonly<AuthEventRecord> {
  const event = user.authEvents?.find((e) => e.eventId === eventId);
  if (!event) throw errors.authEventNotFound(eventId);
  return event;
}

/** Sets an event's feedback (`Admin` for AdminUpdateAuthEventFeedback, `User` for UpdateAuthEventFeedback). */
export async function setAuthEventFeedback(
  ctx: Pick<Services, "store" | "clock" | "locks">,
  pool: StoredPool,
  user: StoredUser,
  eventId: string,
  value: "Valid" | "Invalid",
  provider: "Admin" | "User",
): Promise<void> {
  await updateUser(
    ctx,
    pool,
    user,
    (copy) => {
      const event = copy.authEvents?.find((e) => e.eventId === eventId);
      if (!event) throw errors.authEventNotFound(eventId);
      event.feedback = { FeedbackValue: value, Provider: provider, FeedbackDate: ctx.clock.now() };
    },
    { touch: false },
  );
}

/**
 * The pool with the risk configuration of `clientId` (or, undefined, the pool's own) set to
 * `config`; `undefined` removes it, so that a client inherits the pool's again and the pool
 * returns to the defaults (SetRiskConfiguration with nothing but the ids).
 */
export function poolWithRiskConfiguration(
  pool: StoredPool,
  clientId: string | undefined,
  config: RiskConfigurationRecord | undefined,
): StoredPool {
  const risk = { ...pool.risk };
  if (clientId === undefined) {
    if (config) risk.pool = config;
    else delete risk.pool;
  } else {
    const { [clientId]: _old, ...others } = risk.clients ?? {};
    const clients = config ? { ...others, [clientId]: config } : others;
    if (Object.keys(clients).length > 0) risk.clients = clients;
    else delete risk.clients;
  }
  return { ...pool, risk };
}

/** The pool without a deleted client's risk configuration (DeleteUserPoolClient). */
export function poolWithoutClientRisk(pool: StoredPool, clientId: string): StoredPool {
  const clients = pool.risk?.clients;
  if (!clients || !Object.hasOwn(clients, clientId)) return pool;
  return poolWithRiskConfiguration(pool, clientId, undefined);
}

/**
 * The user the auth event calls name: by username or alias (findUser), or, as AWS documents
 * for these calls, by the user's sub. UserNotFoundException otherwise.
 */
export function requireEventUser(ctx: Pick<Services, "store">, pool: StoredPool, name: string): StoredUser {
  const user = findUser(ctx, pool, name) ?? ctx.store.getUserBySub(pool.id, name);
  if (!user) throw errors.userNotFound();
  return user;
}

// ---- passwords being set (sign-up, password change)

/** A compromised-credentials check of a password being set, for the event filter `filter`. */
function passwordVerdict(
  ctx: Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  clientId: string | undefined,
  password: string | undefined,
  filter: "SIGN_UP" | "PASSWORD_CHANGE",
): { risk: AuthEventRecord["risk"]; blocked: boolean } {
  const enforced = threatMode(pool) === "ENFORCED";
  const config = riskConfigurationFor(pool, clientId);
  if (inRanges(ctx.sourceIp, config?.RiskExceptionConfiguration?.SkippedIPRangeList)) {
    return { risk: { RiskDecision: "NoRisk" }, blocked: false };
  }
  const compromisedConfig = config?.CompromisedCredentialsRiskConfiguration;
  const watched = (compromisedConfig?.EventFilter ?? [filter]).includes(filter);
  const compromised = password !== undefined && watched && isCompromisedPassword(pool, password);
  const blocked = enforced && compromised && compromisedConfig?.Actions?.EventAction === "BLOCK";
  return {
    risk: { RiskDecision: blocked ? "Block" : "NoRisk", CompromisedCredentialsDetected: compromised },
    blocked,
  };
}

/**
 * SignUp's compromised-credentials check (EventFilter SIGN_UP): in ENFORCED mode with BLOCK, a
 * compromised password is refused before the user is created (InvalidPasswordException).
 */
export function checkSignUpPassword(
  ctx: Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  client: StoredClient,
  password: string | undefined,
): void {
  if (threatMode(pool) === "OFF") return;
  if (passwordVerdict(ctx, pool, client.client.ClientId, password, "SIGN_UP").blocked) {
    throw errors.compromisedPassword();
  }
}

/** The SignUp event of a user being created (`user`, before it is stored), when threat protection is on. */
export function noteSignUp(
  ctx: Pick<Services, "clock"> & Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  client: StoredClient,
  user: UserRecord,
  password: string | undefined,
): void {
  if (threatMode(pool) === "OFF") return;
  const { risk } = passwordVerdict(ctx, pool, client.client.ClientId, password, "SIGN_UP");
  pushEvent(user, {
    eventId: newUuid(),
    eventType: "SignUp",
    createdAt: ctx.clock.now(),
    response: "Pass",
    risk,
    challenges: [],
    context: eventContext(ctx),
  });
}

/**
 * ChangePassword's event on `user` (the copy updateUser writes), with the compromised-credentials
 * check (EventFilter PASSWORD_CHANGE, the pool's configuration): answers the error to throw once
 * the copy is written when ENFORCED mode blocks the new password (the password is then unchanged).
 */
export function notePasswordChange(
  ctx: Pick<Services, "clock"> & Pick<RequestFacts, "sourceIp">,
  pool: StoredPool,
  user: UserRecord,
  password: string,
): ReturnType<typeof errors.compromisedPassword> | undefined {
  if (threatMode(pool) === "OFF") return undefined;
  const { risk, blocked } = passwordVerdict(ctx, pool, undefined, password, "PASSWORD_CHANGE");
  pushEvent(user, {
    eventId: newUuid(),
    eventType: "PasswordChange",
    createdAt: ctx.clock.now(),
    response: blocked ? "Fail" : "Pass",
    risk,
    challenges: [],
    context: eventContext(ctx),
  });
  return blocked ? errors.compromisedPassword() : undefined;
}

/**
 * A sign-in from a BlockedIPRangeList range, refused in ENFORCED mode before the password is
 * looked at (AWS: the list "always blocks authentication requests"), and recorded on the user
 * the name finds, if any. Called at the start of the password and SRP flows.
 */
export async function refuseBlockedAddress(
  ctx: AuthEventContext,
  pool: StoredPool,
  client: StoredClient,
  name: string,
): Promise<void> {
  if (threatMode(pool) !== "ENFORCED") return;
  const config = riskConfigurationFor(pool, client.client.ClientId);
  if (!inRanges(ctx.sourceIp, config?.RiskExceptionConfiguration?.BlockedIPRangeList)) return;
  const user = findUser(ctx, pool, name);
  if (user) await recordEvent(ctx, pool, user, newEvent(ctx, "SignIn", "Fail", { RiskDecision: "Block" }, []));
  throw errors.signInBlockedForSecurity();
}
