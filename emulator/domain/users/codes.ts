// One-time codes: where they are delivered (masked as Cognito shows them), their lifetimes,
// issuing them to the inbox, and checking them with an attempt limit.
import type { CodeDeliveryDetailsType } from "@aws-sdk/client-cognito-identity-provider";
import type { RequestFacts, Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import { newCode } from "../../services/ids.js";
import type { InboxMessage, MessageReason } from "../../services/inbox.js";
import type { CodePurpose, StoredPool, StoredUser, UserRecord } from "../../store/types.js";
import {
  type ComposedMessage,
  composeMessage,
  confirmLink,
  fillMessage,
  type MessageSource,
} from "../triggers/custom-message.js";
import { customSenderFor, handToCustomSender } from "../triggers/custom-sender.js";
import { pendingValue } from "./pending-updates.js";
import { attr } from "./records.js";

/** Attributes that can be verified with a code, and how the code travels. */
export const VERIFIABLE: Readonly<Record<string, "EMAIL" | "SMS">> = { email: "EMAIL", phone_number: "SMS" };

/** Masks a destination as Cognito does: `t***@e***` for email, `+*******1234` for phones. */
export function maskDestination(medium: "EMAIL" | "SMS", value: string): string {
  if (medium === "SMS") return `+${"*".repeat(Math.max(0, value.length - 5))}${value.slice(-4)}`;
  const [local = "", domain = ""] = value.split("@");
  return `${local.charAt(0)}***@${domain.charAt(0)}***`;
}

/**
 * Where Cognito would send a code: the verified or auto-verified email, else phone. Returns
 * undefined when the user has neither.
 */
export function deliveryFor(
  pool: StoredPool,
  user: StoredUser,
  prefer?: "email" | "phone_number",
): { medium: "EMAIL" | "SMS"; attribute: string; value: string } | undefined {
  const email = attr(user, "email");
  const phone = attr(user, "phone_number");
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  const order: ("email" | "phone_number")[] = prefer
    ? [prefer]
    : auto.includes("phone_number") && !auto.includes("email")
      ? ["phone_number", "email"]
      : ["email", "phone_number"];
  for (const o of order) {
    if (o === "email" && email) return { medium: "EMAIL", attribute: "email", value: email };
    if (o === "phone_number" && phone) return { medium: "SMS", attribute: "phone_number", value: phone };
  }
  return undefined;
}

/** Lifetimes of codes: sign-up and attribute codes 24 h, reset codes 1 h. */
const CODE_LIFETIME_MS: Record<"signUp" | "forgotPassword" | "verify" | "mfa", number> = {
  signUp: 24 * 3600_000,
  forgotPassword: 3600_000,
  verify: 24 * 3600_000,
  mfa: 3 * 60_000,
};

/**
 * What sending a message uses: the clock and the inbox, and the trigger service with the
 * caller's SDK (the custom message and custom sender triggers).
 */
export type MessageContext = Pick<Services, "clock" | "inbox" | "triggers" | "store"> & Pick<RequestFacts, "userAgent">;

/** Why a code or a message composed from the pool's templates goes out (not a risk notification). */
type CodeReason = Exclude<MessageReason, "RiskNotification">;

/**
 * The custom message trigger's name for each reason a code goes out. Risk notifications are
 * absent: Cognito sends them itself (domain/auth-events.ts), without the custom message trigger.
 */
const SOURCE_OF: Record<CodeReason, MessageSource> = {
  SignUp: "SignUp",
  ResendCode: "ResendCode",
  ForgotPassword: "ForgotPassword",
  // AdminResetUserPassword sends the code ConfirmForgotPassword takes, as ForgotPassword does.
  AdminResetUserPassword: "ForgotPassword",
  VerifyUserAttribute: "VerifyUserAttribute",
  AdminCreateUser: "AdminCreateUser",
  Authentication: "Authentication",
  MfaSetup: "Authentication",
};

/** Who and what a message is for, beyond the user and where it goes. */
export interface MessageOptions {
  /**
   * The trigger source's occasion, when the reason alone does not say it: a code sent because an
   * update changed the attribute is `UpdateUserAttribute` (the inbox still says VerifyUserAttribute).
   */
  readonly source?: MessageSource | undefined;
  /** The app client of the call; undefined for admin operations (`CLIENT_ID_NOT_APPLICABLE`). */
  readonly clientId?: string | undefined;
  /** The request's ClientMetadata, for the triggers' events. */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
  /** The messages composed ahead of the change, outside the user's lock (MessageDrafts). */
  readonly drafts?: MessageDrafts | undefined;
}

/**
 * The messages a change of one user composes, composed before the change takes the user's lock,
 * so that a slow custom message trigger holds up no other request about that user (updateUser's
 * `draftMessages`). updateUser first rehearses the change on a throwaway copy, outside the lock:
 * every message it would send is composed then (the trigger runs; its failure is kept too) and
 * nothing is sent or recorded. The change proper, under the lock, takes the draft composed for
 * the same message (occasion, medium, user, client): the message is the one composed from the
 * user as the request found them, as Cognito's is, even if the function (or another request)
 * changed the user meanwhile. Only a message the rehearsal did not reach (it was refused by a
 * check that passes under the lock) is composed holding the lock.
 */
export class MessageDrafts {
  /** True while updateUser rehearses the change: messages are composed, never sent. */
  rehearsing = false;
  private readonly composed = new Map<string, Promise<ComposedMessage>>();

  /** The draft for this event: composed now while rehearsing, else the one kept (or a new one). */
  compose(key: string, make: () => Promise<ComposedMessage>): Promise<ComposedMessage> {
    if (!this.rehearsing) {
      const kept = this.composed.get(key);
      if (kept) {
        // Each draft serves one message.
        this.composed.delete(key);
        return kept;
      }
      return make();
    }
    const draft = make();
    this.composed.set(key, draft);
    return draft;
  }
}

/** The inbox fields that say what was sent: the text, or the custom sender it was handed to. */
type Sent = Pick<InboxMessage, "subject" | "message" | "sentBy" | "note">;

/**
 * Produces the message that carries `secret` (a code, or an invitation's temporary password) to
 * `delivery`: hands it to the pool's custom sender for the medium when it has one (in the
 * background, as Cognito does), else composes the text (the pool's template or the custom
 * message trigger's) with the placeholders filled in. Throws the custom message trigger's
 * errors before anything is sent or recorded, so the caller can fail with nothing issued.
 */
export async function deliverMessage(
  ctx: MessageContext,
  pool: StoredPool,
  user: Pick<StoredUser, "username" | "attributes" | "status">,
  reason: CodeReason,
  delivery: { medium: "EMAIL" | "SMS" },
  secret: string,
  options: MessageOptions = {},
): Promise<Sent> {
  const source = options.source ?? SOURCE_OF[reason];
  const about = {
    source,
    username: user.username,
    attributes: user.attributes,
    status: user.status,
    clientId: options.clientId,
    clientMetadata: options.clientMetadata,
  };
  const sender = customSenderFor(pool, delivery.medium);
  if (sender) {
    // A rehearsal sends nothing; the change proper hands the code over (in the background).
    if (options.drafts?.rehearsing) return { sentBy: sender };
    // Handed over only once the call that made the message has stored its user: a SignUp that
    // loses a race, or an invitation whose other medium fails, hands out nothing.
    handToCustomSender(ctx, pool, {
      ...about,
      name: sender,
      secret,
      stillWanted: () => ctx.store.getUser(pool.id, user.username) !== undefined,
    });
    return { sentBy: sender };
  }
  const call = { ...about, medium: delivery.medium };
  const compose = () => composeMessage(ctx, pool, call, secret.length);
  const composed = await (options.drafts
    ? options.drafts.compose(
        // Occasion, medium and address, not the attributes: a function that changed the user
        // (AdminUpdateUserAttributes) gets its message sent, composed from the user it was shown.
        `${call.source}/${call.medium}/${call.username}/${call.clientId}/${secret.length}`,
        compose,
      )
    : compose());
  const link = confirmLink(pool, source, delivery.medium, {
    clientId: options.clientId,
    username: user.username,
    code: secret,
  });
  const values = { secret, username: user.username, confirmLink: link };
  return {
    ...(composed.subject !== undefined ? { subject: fillMessage(composed.subject, values) } : {}),
    message: fillMessage(composed.message, values),
    ...(composed.note ? { note: composed.note } : {}),
  };
}

/**
 * Issues a fresh code for `purpose` onto `user` (a copy the caller writes), records the
 * message in the inbox, and answers the CodeDeliveryDetails Cognito would. Codes have six digits
 * unless `digits` says otherwise (EMAIL_OTP sign-in codes have eight). The message is produced
 * first (deliverMessage): when the custom message trigger fails, this throws with no code on
 * `user` and nothing in the inbox.
 */
export async function issueCode(
  ctx: MessageContext,
  pool: StoredPool,
  user: UserRecord,
  purpose: CodePurpose,
  reason: CodeReason,
  delivery: { medium: "EMAIL" | "SMS"; attribute: string; value: string },
  options: MessageOptions & { digits?: number } = {},
): Promise<Wire<CodeDeliveryDetailsType>> {
  const code = newCode(options.digits ?? 6);
  const sent = await deliverMessage(ctx, pool, user, reason, delivery, code, options);
  const kind = purpose.startsWith("verify:") ? "verify" : (purpose as "signUp" | "forgotPassword" | "mfa");
  user.codes[purpose] = { code, expiresAt: ctx.clock.now() + CODE_LIFETIME_MS[kind], attempts: 0 };
  // A rehearsal's copy is thrown away and its messages never go out (MessageDrafts).
  if (!options.drafts?.rehearsing)
    ctx.inbox.add({
      userPoolId: pool.id,
      username: user.username,
      destination: delivery.value,
      deliveryMedium: delivery.medium,
      attributeName: delivery.attribute,
      reason,
      code,
      ...sent,
      createdAt: ctx.clock.now() / 1000,
    });
  return {
    Destination: maskDestination(delivery.medium, delivery.value),
    DeliveryMedium: delivery.medium,
    AttributeName: delivery.attribute,
  };
}

/** Wrong codes allowed before Cognito answers LimitExceededException. */
const MAX_CODE_ATTEMPTS = 5;

/**
 * Checks a code the user typed. Consumes it on success; counts failures. Throws Cognito's
 * CodeMismatch / ExpiredCode / LimitExceeded errors. `user` is a copy the caller writes (also when this throws).
 */
export function consumeCode(ctx: Pick<Services, "clock">, user: UserRecord, purpose: CodePurpose, code: string): void {
  const record = user.codes[purpose];
  if (!record) throw errors.expiredCode();
  if (record.attempts >= MAX_CODE_ATTEMPTS) throw errors.attemptLimitExceeded();
  if (ctx.clock.now() > record.expiresAt) throw errors.expiredCode();
  if (record.code !== code) {
    record.attempts += 1;
    throw errors.codeMismatch();
  }
  delete user.codes[purpose];
}

/**
 * Sends a code for verifying an email or phone number the user has (onto `user`, a copy the
 * caller writes): to the value waiting for verification when there is one, since the code confirms it.
 */
export async function sendVerificationCode(
  ctx: MessageContext,
  pool: StoredPool,
  user: UserRecord,
  name: string,
  options: MessageOptions = {},
): Promise<Wire<CodeDeliveryDetailsType>> {
  const medium = VERIFIABLE[name];
  if (!medium) throw errors.verificationNotSupported(name);
  const value = pendingValue(user, name) ?? attr(user, name);
  if (value === undefined || value === "") throw errors.attributeHasNoValue(name);
  return issueCode(
    ctx,
    pool,
    user,
    `verify:${name}`,
    "VerifyUserAttribute",
    { medium, attribute: name, value },
    options,
  );
}
