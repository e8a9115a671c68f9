// Requests Cognito allows each user only so many of per hour ("code security resource quotas"):
// asking for codes and answering them, and changing the password. The window slides with the
// emulator's clock, so a test waits out a limit with POST /_twin/clock. The numbers and their
// sources: docs/decisions/0014-brute-force-limits.md.
import type { Services } from "../../context.js";
import { errors } from "../../core/errors.js";
import type { RateLimitedRequest, UserRecord } from "../../store/types.js";

const HOUR_MS = 3600_000;

/** Requests per user per hour, as Cognito's quotas page lists them. */
const PER_HOUR: Readonly<Record<RateLimitedRequest, number>> = {
  // ForgotPassword and ConfirmForgotPassword together: Cognito allows 5 to 20, by the risk it
  // sees in the requests; the emulator sees none, and allows the 20.
  forgotPassword: 20,
  resendConfirmationCode: 5,
  confirmSignUp: 15,
  changePassword: 5,
  getUserAttributeVerificationCode: 5,
  verifyUserAttribute: 15,
};

/**
 * Counts one request of `kind` on `user` (the copy updateUser writes), or refuses it with
 * `LimitExceededException: Attempt limit exceeded, please try after some time.` when the user
 * made as many in the hour before. A refused request is not counted, nor is one whose change
 * throws (nothing is written then): what counts is a code sent, a code checked (right or wrong),
 * a password change tried. Times after the clock's (a clock moved back) are forgotten.
 */
export function countRequest(ctx: Pick<Services, "clock">, user: UserRecord, kind: RateLimitedRequest): void {
  const now = ctx.clock.now();
  const recent = (user.recentRequests?.[kind] ?? []).filter((t) => t > now - HOUR_MS && t <= now);
  if (recent.length >= PER_HOUR[kind]) throw errors.attemptLimitExceeded();
  recent.push(now);
  user.recentRequests = { ...user.recentRequests, [kind]: recent };
}
