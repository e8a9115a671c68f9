// Account recovery: where ForgotPassword sends its code, what a hidden user is told, and who
// may reset a password.
import { createHash } from "node:crypto";
import type { CodeDeliveryDetailsType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { Wire } from "../../core/wire.js";
import type { StoredPool, StoredUser } from "../../store/types.js";
import { maskDestination } from "./codes.js";
import { attr } from "./records.js";

/** The recovery mechanisms of the pool in priority order (`verified_email`, `verified_phone_number`, `admin_only`). */
function recoveryMechanisms(pool: StoredPool): string[] {
  const mechanisms = [...(pool.pool.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort(
    (a, b) => (a.Priority ?? 0) - (b.Priority ?? 0),
  );
  // Pools without a setting use Cognito's legacy rule: a verified phone first, then email.
  return mechanisms.length > 0 ? mechanisms.map((m) => m.Name!) : ["verified_phone_number", "verified_email"];
}

/**
 * Where a password-reset code goes (ForgotPassword, AdminResetUserPassword): the first
 * verified contact the pool's AccountRecoverySetting allows, or undefined when there is none.
 */
export function recoveryDelivery(
  pool: StoredPool,
  user: StoredUser,
): { medium: "EMAIL" | "SMS"; attribute: string; value: string } | undefined {
  for (const mechanism of recoveryMechanisms(pool)) {
    if (mechanism === "verified_email") {
      const email = attr(user, "email");
      if (email && attr(user, "email_verified") === "true")
        return { medium: "EMAIL", attribute: "email", value: email };
    } else if (mechanism === "verified_phone_number") {
      const phone = attr(user, "phone_number");
      if (phone && attr(user, "phone_number_verified") === "true")
        return { medium: "SMS", attribute: "phone_number", value: phone };
    }
  }
  return undefined;
}

/**
 * A believable CodeDeliveryDetails for a name that matches no user, for clients with
 * PreventUserExistenceErrors ENABLED: the same name always gets the same answer, shaped like
 * the deliveries the pool really makes (`recovery` picks the medium as ForgotPassword would,
 * otherwise as sign-up codes go).
 */
export function simulatedDelivery(
  pool: StoredPool,
  name: string,
  purpose: "recovery" | "signUp",
): Wire<CodeDeliveryDetailsType> {
  const auto = (pool.pool.AutoVerifiedAttributes ?? []) as string[];
  let medium: "EMAIL" | "SMS";
  if (purpose === "recovery") {
    const first = recoveryMechanisms(pool).find((m) => m !== "admin_only");
    medium = first === "verified_phone_number" && !name.includes("@") ? "SMS" : "EMAIL";
  } else {
    medium = auto.includes("email") || !auto.includes("phone_number") ? "EMAIL" : "SMS";
  }
  if (name.includes("@") && medium === "EMAIL")
    return { Destination: maskDestination("EMAIL", name), DeliveryMedium: "EMAIL", AttributeName: "email" };
  if (/^\+\d{5,}$/.test(name) && medium === "SMS")
    return { Destination: maskDestination("SMS", name), DeliveryMedium: "SMS", AttributeName: "phone_number" };
  // Derive a fake destination from the name so repeated calls agree with each other.
  const digest = createHash("sha256").update(`${pool.id}/${name}`).digest();
  if (medium === "SMS") {
    const digits = [...digest.subarray(0, 4)].map((b) => String(b % 10)).join("");
    return { Destination: `+*******${digits}`, DeliveryMedium: "SMS", AttributeName: "phone_number" };
  }
  const letters = "abcdefghijklmnopqrstuvwxyz";
  return {
    Destination: `${letters[digest[0]! % 26]}***@${letters[digest[1]! % 26]}***`,
    DeliveryMedium: "EMAIL",
    AttributeName: "email",
  };
}

/**
 * Refuses self-service recovery (ForgotPassword) in a pool whose AccountRecoverySetting names
 * `admin_only`: only an administrator may reset a password there (AdminResetUserPassword,
 * AdminSetUserPassword). Cognito answers this before it looks for the user.
 */
export function checkSelfServiceRecovery(pool: StoredPool): void {
  if (pool.pool.AccountRecoverySetting?.RecoveryMechanisms?.some((m) => m.Name === "admin_only"))
    throw errors.recoveryAdminOnly();
}

/**
 * Refuses a password reset (ForgotPassword, AdminResetUserPassword) for a disabled user or one
 * who has not yet replaced an administrator's temporary password, as Cognito does.
 */
export function checkResettable(user: StoredUser): void {
  if (!user.enabled) throw errors.userDisabled();
  if (user.status === "FORCE_CHANGE_PASSWORD") throw errors.passwordResetNotAllowed();
}
