// One-time codes: where they are delivered (masked as Cognito shows them), their lifetimes,
// issuing them to the inbox, and checking them with an attempt limit.
import type { CodeDeliveryDetailsType } from "@aws-sdk/client-cognito-identity-provider";
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import { newCode } from "../../services/ids.js";
import type { MessageReason } from "../../services/inbox.js";
import type { CodePurpose, StoredPool, StoredUser, UserRecord } from "../../store/types.js";
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
 * Issues a fresh code for `purpose` onto `user` (a copy the caller writes), records the
 * message in the inbox, and answers the CodeDeliveryDetails Cognito would. Codes have six digits
 * unless `digits` says otherwise (EMAIL_OTP sign-in codes have eight).
 */
export function issueCode(
  ctx: Pick<Services, "clock" | "inbox">,
  pool: StoredPool,
  user: UserRecord,
  purpose: CodePurpose,
  reason: MessageReason,
  delivery: { medium: "EMAIL" | "SMS"; attribute: string; value: string },
  digits = 6,
): Wire<CodeDeliveryDetailsType> {
  const code = newCode(digits);
  const kind = purpose.startsWith("verify:") ? "verify" : (purpose as "signUp" | "forgotPassword" | "mfa");
  user.codes[purpose] = { code, expiresAt: ctx.clock.now() + CODE_LIFETIME_MS[kind], attempts: 0 };
  ctx.inbox.add({
    userPoolId: pool.id,
    username: user.username,
    destination: delivery.value,
    deliveryMedium: delivery.medium,
    attributeName: delivery.attribute,
    reason,
    code,
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

/** Sends a code for verifying an email or phone number the user has (onto `user`, a copy the caller writes). */
export function sendVerificationCode(
  ctx: Pick<Services, "clock" | "inbox">,
  pool: StoredPool,
  user: UserRecord,
  name: string,
): Wire<CodeDeliveryDetailsType> {
  const medium = VERIFIABLE[name];
  if (!medium) throw errors.verificationNotSupported(name);
  const value = attr(user, name);
  if (value === undefined || value === "") throw errors.attributeHasNoValue(name);
  return issueCode(ctx, pool, user, `verify:${name}`, "VerifyUserAttribute", { medium, attribute: name, value });
}
