// The user migration trigger: a password sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, the
// managed login page) or a ForgotPassword for a name the pool does not know asks the pool's
// UserMigration function for the user, and creates what it answers, as Cognito does: with the
// password typed (sign-in) or none (ForgotPassword), the status, aliases, SMS MFA and welcome
// message the function chose. Then the caller carries on as for any user. USER_SRP_AUTH never
// migrates: the password does not reach the server. docs/triggers.md#user-migration,
// docs/decisions/0017-lambda-triggers.md ("User migration").
import type { Services } from "../../context.js";
import { CognitoError, errors } from "../../core/errors.js";
import { newUuid } from "../../services/ids.js";
import type { StoredClient, StoredPool, StoredUser, UserRecord } from "../../store/types.js";
import { checkWritableAttributes, normaliseBooleans } from "../users/attributes.js";
import { deliveryFor } from "../users/codes.js";
import { checkRoomForUser, findUser, usesUsernameAttributes } from "../users/lookup.js";
import { passwordRecord } from "../users/passwords.js";
import { attr, cloneUser, withAttributes } from "../users/records.js";
import { recoveryDelivery } from "../users/recovery.js";
import { lockUser, lockUsername } from "../users/update.js";
import {
  readBoolean,
  readObject,
  readString,
  readStringList,
  runTrigger,
  type TriggerContext,
  type TriggerResponse,
  triggerArn,
} from "./run.js";

/** What migrating a user uses: the trigger, and what creating a user uses (store, locks, inbox, limits). */
export type MigrationContext = TriggerContext & Pick<Services, "store" | "clock" | "locks" | "inbox" | "config">;

/** The two events: a password sign-in, or a ForgotPassword. */
type MigrationSource = "UserMigration_Authentication" | "UserMigration_ForgotPassword";

/** One migration attempt: the name as typed, and what the request carried. */
export interface MigrationCall {
  readonly source: MigrationSource;
  /** The USERNAME (or the login page's name) exactly as typed: the event's `userName`. */
  readonly typed: string;
  /** The password typed (sign-in only: ForgotPassword sends none). */
  readonly password?: string;
  /** The request's ClientMetadata, if it had one. */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** A user the migration produced: the one created, or one a concurrent request created meanwhile. */
export interface Migrated {
  readonly user: StoredUser;
  /** False when another request created the user while the function ran: prove the password as usual. */
  readonly created: boolean;
}

/** The response Cognito pre-fills: every member null but userAttributes. */
const PREFILLED_RESPONSE = {
  userAttributes: {},
  finalUserStatus: null,
  messageAction: null,
  desiredDeliveryMediums: null,
  forceAliasCreation: null,
  enableSMSMFA: null,
} as const;

/** What the function answered, read and checked. */
interface MigrationAnswer {
  readonly attributes: Record<string, string>;
  readonly status: "CONFIRMED" | "RESET_REQUIRED";
  readonly suppress: boolean;
  readonly media: readonly ("EMAIL" | "SMS")[] | undefined;
  readonly forceAliasCreation: boolean;
  readonly smsMfa: boolean;
}

/**
 * Asks the pool's UserMigration function for a user the pool does not know (`call.typed`), and
 * creates the user it answers. Undefined when there is nobody to sign in: the pool has no such
 * trigger, the function answered no attributes, or (for a client with PreventUserExistenceErrors
 * ENABLED) the migration failed in a way Cognito words as a missing user; the caller then answers
 * as it does for an unknown name. Throws the function's own failure (UserLambdaValidationException
 * `UserMigration failed with error ...`), an unreadable answer (InvalidLambdaResponseException),
 * an alias another user holds (AliasExistsException) and, when the client shows users, what is
 * wrong with the answer. Nothing is created unless everything holds.
 */
export async function migrateUser(
  ctx: MigrationContext,
  pool: StoredPool,
  client: StoredClient,
  call: MigrationCall,
): Promise<Migrated | undefined> {
  if (!triggerArn(pool, "UserMigration")) return undefined;
  const clientId = client.client.ClientId!;
  const hides = client.client.PreventUserExistenceErrors === "ENABLED";
  // Failures Cognito reports as UserNotFoundException (or refuses as bad input) are what a client
  // that hides users answers as for any unknown name.
  const refuse = (e: unknown): undefined => {
    if (hides && e instanceof CognitoError && hideable(e)) return undefined;
    throw e;
  };

  const metadata = { ...call.clientMetadata };
  const request =
    call.source === "UserMigration_Authentication"
      ? // InitiateAuth's ClientMetadata: `validationData` on the migrate user page, `clientMetadata`
        // in the API reference; the function gets it under both names.
        { password: call.password ?? "", validationData: metadata, clientMetadata: metadata }
      : // ForgotPassword sends no password, and has no sign-in data to validate.
        { validationData: {}, clientMetadata: metadata };
  let response: TriggerResponse | undefined;
  try {
    response = await runTrigger(ctx, pool, {
      name: "UserMigration",
      triggerSource: call.source,
      userName: call.typed,
      clientId,
      request,
      response: PREFILLED_RESPONSE,
    });
  } catch (e) {
    // Not invoked or no answer in time: Cognito words it as a user it could not migrate.
    if (e instanceof CognitoError && e.type === "UnexpectedLambdaException")
      return refuse(errors.migrationNotInvoked(clientId));
    throw e;
  }
  if (!response) return undefined;

  const answer = readAnswer(response, call.source);
  // No attributes: the function found nobody, and the name stays unknown.
  if (Object.keys(answer.attributes).length === 0) return undefined;
  try {
    return await createMigratedUser(ctx, pool, call, answer);
  } catch (e) {
    return refuse(e);
  }
}

/** UserNotFoundException, and the attribute or delivery problems creating a user runs into. */
function hideable(e: CognitoError): boolean {
  return e.type === "UserNotFoundException" || e.type === "InvalidParameterException";
}

/**
 * Reads the returned response: members of the wrong type are Cognito's "Unrecognizable lambda
 * output"; values outside what each member takes are checked when the user is built.
 */
function readAnswer(response: TriggerResponse, source: MigrationSource) {
  const attributes = readAttributes(response);
  const finalUserStatus = readString(response, "finalUserStatus");
  const messageAction = readString(response, "messageAction");
  const media = readStringList(response, "desiredDeliveryMediums");
  const forceAliasCreation = readBoolean(response, "forceAliasCreation") ?? false;
  const smsMfa = readBoolean(response, "enableSMSMFA") ?? false;
  return {
    attributes,
    raw: { finalUserStatus, messageAction, media },
    forceAliasCreation,
    smsMfa,
    source,
  };
}

/**
 * `userAttributes`, as the name-to-string map Cognito stores. Booleans and numbers are taken as
 * their text (`email_verified: true`), as Cognito's JSON reading of a string map does; objects,
 * lists and a non-object member are unrecognizable.
 */
function readAttributes(response: TriggerResponse): Record<string, string> {
  const map = readObject(response, "userAttributes") ?? {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "string") out[name] = value;
    else if (typeof value === "boolean" || typeof value === "number") out[name] = String(value);
    else throw errors.lambdaUnrecognizable();
  }
  return out;
}

/** Checks the members that take only some values (Cognito's "Error during migration: Invalid ..."). */
function checkAnswer(read: ReturnType<typeof readAnswer>): MigrationAnswer {
  const { finalUserStatus, messageAction, media } = read.raw;
  if (finalUserStatus !== undefined && finalUserStatus !== "CONFIRMED" && finalUserStatus !== "RESET_REQUIRED")
    throw errors.migrationInvalidMember("finalUserStatus");
  if (messageAction !== undefined && messageAction !== "SUPPRESS" && messageAction !== "RESEND")
    throw errors.migrationInvalidMember("messageAction");
  if (media?.some((m) => m !== "EMAIL" && m !== "SMS")) throw errors.migrationInvalidMember("desiredDeliveryMediums");
  return {
    attributes: read.attributes,
    // Only a sign-in has a password to keep: a user migrated by ForgotPassword must reset it. At
    // sign-in anything but CONFIRMED is RESET_REQUIRED (the migrate user page).
    status:
      read.source === "UserMigration_Authentication" && finalUserStatus === "CONFIRMED"
        ? "CONFIRMED"
        : "RESET_REQUIRED",
    suppress: messageAction === "SUPPRESS",
    media: media?.length ? (media as ("EMAIL" | "SMS")[]) : undefined,
    forceAliasCreation: read.forceAliasCreation,
    smsMfa: read.smsMfa,
  };
}

/**
 * Creates the user the function answered, under the typed name's lock: the answer's values, the
 * attributes against the schema, the username rules of the pool, the welcome message's and a
 * reset code's destinations checked, the password hashed, and then, holding the locks of the
 * users whose aliases move (forceAliasCreation), the last checks (the name still free, the pool's
 * room, the aliases) and every write at once, with no await in between: a refusal leaves every
 * user as it was. A name that another request created meanwhile is answered as it is.
 */
async function createMigratedUser(
  ctx: MigrationContext,
  pool: StoredPool,
  call: MigrationCall,
  read: ReturnType<typeof readAnswer>,
): Promise<Migrated> {
  const answer = checkAnswer(read);
  return lockUsername(ctx, pool, call.typed, async () => {
    const raced = findUser(ctx, pool, call.typed);
    if (raced) return { user: raced, created: false };
    const user = newUserRecord(ctx, pool, call.typed, answer);
    if (call.source === "UserMigration_ForgotPassword" && !recoveryDelivery(pool, user))
      throw errors.noRecoveryDestination();
    const welcome = answer.suppress ? [] : welcomeDeliveries(pool, user, answer.media);
    // Refused early (before the password's hash) when it already would be.
    checkRoomForUser(ctx, pool.id);
    aliasHolders(ctx, pool, user, answer.forceAliasCreation);
    // The password policy is not applied: Cognito takes the old password as it is (the migrate user page).
    if (call.password !== undefined && call.source === "UserMigration_Authentication")
      user.password = await passwordRecord(ctx, user, call.password);
    // The holders may change while their locks are awaited: the set is read again under them,
    // and the locks taken again when it grew.
    for (let attempt = 0; ; attempt++) {
      const expected = aliasHolders(ctx, pool, user, answer.forceAliasCreation).map((m) => m.holder.sub);
      const outcome = await lockUsers(ctx, pool, expected, () => {
        const late = findUser(ctx, pool, call.typed);
        if (late) return { user: late, created: false };
        checkRoomForUser(ctx, pool.id);
        const moved = aliasHolders(ctx, pool, user, answer.forceAliasCreation);
        if (moved.some((m) => !expected.includes(m.holder.sub))) {
          if (attempt < 3) return undefined;
          // Other users kept verifying the value meanwhile: refused rather than moved unlocked.
          throw errors.aliasExists(moved[0]!.name);
        }
        const now = ctx.clock.now();
        for (const { holder, name } of moved) {
          // The previous holder keeps the value but can no longer sign in with it (as updateUser
          // writes a change: a copy of the latest record, stamped; its lock is held here).
          const copy = cloneUser(holder);
          copy.attributes = withAttributes(copy.attributes, { [`${name}_verified`]: "false" });
          copy.updatedAt = now;
          ctx.store.putUser(copy);
        }
        for (const delivery of welcome) {
          ctx.inbox.add({
            userPoolId: pool.id,
            username: user.username,
            destination: delivery.value,
            deliveryMedium: delivery.medium,
            attributeName: delivery.attribute,
            // The welcome message is AdminCreateUser's (its docs call the invitation that too), without a password.
            reason: "AdminCreateUser",
            createdAt: now / 1000,
          });
        }
        ctx.store.putUser(user);
        return { user, created: true };
      });
      if (outcome) return outcome;
    }
  });
}

/** Runs `fn` holding the locks of the users `subs` (taken in one order, so two callers cannot deadlock). */
function lockUsers<T>(
  ctx: Pick<Services, "locks">,
  pool: StoredPool,
  subs: readonly string[],
  fn: () => T | Promise<T>,
): Promise<T> {
  const [first, ...rest] = [...new Set(subs)].sort();
  if (first === undefined) return Promise.resolve().then(fn);
  return lockUser(ctx, pool, first, () => lockUsers(ctx, pool, rest, fn));
}

/**
 * The record of the user to create: the attributes checked as AdminCreateUser checks them (in the
 * schema, writable, well-formed), the username by the pool's rules (email or phone as username:
 * the value typed, under a new UUID), SMS MFA when asked (it needs a phone number).
 */
function newUserRecord(
  ctx: Pick<Services, "clock">,
  pool: StoredPool,
  typed: string,
  answer: MigrationAnswer,
): UserRecord {
  const schema = new Set((pool.pool.SchemaAttributes ?? []).map((a) => a.Name));
  let attributes = normaliseBooleans(pool, withAttributes([], answer.attributes));
  for (const a of attributes) if (!schema.has(a.Name)) throw errors.migrationAttributeNotInSchema(a.Name ?? "");
  checkWritableAttributes(pool, attributes, { creating: true, admin: true });
  let username = typed;
  if (usesUsernameAttributes(pool)) {
    // The user signed in with this email or phone number: that value is the one they are found by
    // next time, whatever the function answered for it.
    const usernameAttrs = (pool.pool.UsernameAttributes ?? []) as string[];
    if (typed.includes("@") && usernameAttrs.includes("email"))
      attributes = withAttributes(attributes, { email: typed });
    else if (/^\+\d+$/.test(typed) && usernameAttrs.includes("phone_number"))
      attributes = withAttributes(attributes, { phone_number: typed });
    else
      throw usernameAttrs.includes("email") && !usernameAttrs.includes("phone_number")
        ? errors.usernameShouldBeEmail()
        : usernameAttrs.includes("phone_number") && !usernameAttrs.includes("email")
          ? errors.usernameShouldBePhoneNumber()
          : errors.usernameShouldBeEmailOrPhoneNumber();
    username = newUuid();
  }
  if (answer.smsMfa && !attr({ attributes }, "phone_number")) throw errors.migrationSmsMfaWithoutPhone();
  const sub = usesUsernameAttributes(pool) ? username : newUuid();
  const now = ctx.clock.now();
  return {
    poolId: pool.id,
    username,
    sub,
    attributes: [{ Name: "sub", Value: sub }, ...attributes],
    status: answer.status,
    enabled: true,
    createdAt: now,
    updatedAt: now,
    codes: {},
    failedSignIns: 0,
    groups: [],
    mfa: { sms: answer.smsMfa, totp: false, email: false },
  };
}

/**
 * Where the welcome message goes, as AdminCreateUser's invitation: by SMS unless the function
 * named mediums; a medium it named that the user has no attribute for is refused.
 */
function welcomeDeliveries(pool: StoredPool, user: UserRecord, media: MigrationAnswer["media"]) {
  const out: NonNullable<ReturnType<typeof deliveryFor>>[] = [];
  for (const medium of media ?? ["SMS"]) {
    const delivery = deliveryFor(pool, user, medium === "EMAIL" ? "email" : "phone_number");
    if (delivery) out.push(delivery);
    else if (media) throw errors.noDeliveryMediumAttribute();
  }
  return out;
}

/**
 * Other users who sign in with a value the new user brings, as Cognito keeps those unique: a
 * username attribute (email or phone as username) is never shared; a verified email or phone
 * alias moves to the new user when the function answered forceAliasCreation (answered here, for
 * the caller to unverify), else AliasExistsException; a preferred_username alias never moves.
 */
function aliasHolders(
  ctx: Pick<Services, "store">,
  pool: StoredPool,
  user: UserRecord,
  force: boolean,
): { holder: StoredUser; name: "email" | "phone_number" }[] {
  const usernameAttrs = (pool.pool.UsernameAttributes ?? []) as string[];
  const aliases = (pool.pool.AliasAttributes ?? []) as string[];
  const moved: { holder: StoredUser; name: "email" | "phone_number" }[] = [];
  for (const name of ["email", "phone_number", "preferred_username"] as const) {
    const value = attr(user, name);
    if (!value) continue;
    const others = ctx.store.findUsersByAttribute(pool.id, name, value).filter((u) => u.sub !== user.sub);
    if (usernameAttrs.includes(name)) {
      if (others.length > 0) throw errors.usernameAttributeExists(name as "email" | "phone_number");
      continue;
    }
    if (!aliases.includes(name)) continue;
    if (name === "preferred_username") {
      if (others.length > 0) throw errors.aliasExists(name);
      continue;
    }
    // An unverified email or phone is no alias: it clashes with nobody, and nobody's clashes with it.
    if (attr(user, `${name}_verified`) !== "true") continue;
    const holders = others.filter((u) => attr(u, `${name}_verified`) === "true");
    if (holders.length === 0) continue;
    if (!force) throw errors.aliasExists(name);
    for (const holder of holders) moved.push({ holder, name });
  }
  return moved;
}
