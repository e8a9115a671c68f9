// A pool's password policy, and the stored password record (hash plus SRP verifier).

import type { Services } from "../../context.js";
import { errors, type PasswordPolicyWording } from "../../core/errors.js";
import { deferredVerifier, hashPassword } from "../../crypto/password-hash.js";
import type { PasswordRecord, StoredPool, StoredUser } from "../../store/types.js";

/** Symbols Cognito counts as special characters (a space inside the password counts too). */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/** A pool's password policy, as far as checking a password needs it. */
interface PasswordPolicyLike {
  MinimumLength?: number;
  RequireUppercase?: boolean;
  RequireLowercase?: boolean;
  RequireNumbers?: boolean;
  RequireSymbols?: boolean;
}

/**
 * The first rule the password breaks, in Cognito's words ("Password not long enough", ...),
 * or undefined when it conforms.
 */
function passwordProblem(password: string, policy: PasswordPolicyLike | undefined): string | undefined {
  const p = policy ?? {};
  if ([...password].length < (p.MinimumLength ?? 8)) return "Password not long enough";
  if (p.RequireUppercase && !/\p{Lu}/u.test(password)) return "Password must have uppercase characters";
  if (p.RequireLowercase && !/\p{Ll}/u.test(password)) return "Password must have lowercase characters";
  if (p.RequireNumbers && !/[0-9]/.test(password)) return "Password must have numeric characters";
  if (p.RequireSymbols && ![...password].some((ch) => SYMBOLS.has(ch))) return "Password must have symbol characters";
  return undefined;
}

/** Throws InvalidPasswordException in the wording of the calling operation. */
export function checkPasswordPolicy(
  pool: StoredPool,
  password: string,
  wording: PasswordPolicyWording = "did not conform with policy",
): void {
  const problem = passwordProblem(password, pool.pool.Policies?.PasswordPolicy);
  if (!problem) return;
  throw errors.passwordPolicy(wording, problem);
}

/**
 * A new password record for `password`: the scrypt hash for password flows and the SRP-6a
 * verifier for USER_SRP_AUTH (whose USER_ID_FOR_SRP is the username).
 */
export async function passwordRecord(
  ctx: Pick<Services, "clock">,
  user: Pick<StoredUser, "poolId" | "username">,
  password: string,
  temporaryUntil?: number,
): Promise<PasswordRecord> {
  const hash = await hashPassword(password);
  return {
    hash,
    srp: deferredVerifier(user.poolId, user.username, password),
    setAt: ctx.clock.now(),
    ...(temporaryUntil !== undefined ? { temporaryUntil } : {}),
  };
}
