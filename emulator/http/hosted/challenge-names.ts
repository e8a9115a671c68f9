// The challenges the managed login pages show and answer (flows.tsx's challenge page and its
// form's post), listed once: both switches take their names from `hostedChallenge`, so the
// compiler refuses a case that is not listed here and a listed name without its case, and
// docs/coverage.md reads the list (emulator/coverage.ts) rather than a copy that goes stale.
import type { AuthFlowType, ChallengeNameType } from "@aws-sdk/client-cognito-identity-provider";

/** Every challenge the pages have a form for. */
export const HOSTED_CHALLENGES = [
  "NEW_PASSWORD_REQUIRED",
  "SOFTWARE_TOKEN_MFA",
  "SMS_MFA",
  "EMAIL_OTP",
  "SMS_OTP",
  "SELECT_CHALLENGE",
  "WEB_AUTHN",
  "SELECT_MFA_TYPE",
  "MFA_SETUP",
] as const satisfies readonly ChallengeNameType[];

/** A challenge the pages have a form for. */
type HostedChallenge = (typeof HOSTED_CHALLENGES)[number];

/**
 * The flow the pages' choice-based sign-in runs (InitiateAuth, as an app would call it); the
 * classic password form proves the password directly (domain/oauth/hosted-signin.ts).
 */
export const HOSTED_CHOICE_FLOW = "USER_AUTH" satisfies AuthFlowType;

/** `name` as a challenge the pages answer, or undefined for any other (or none). */
export function hostedChallenge(name: string | undefined): HostedChallenge | undefined {
  return (HOSTED_CHALLENGES as readonly string[]).includes(name ?? "") ? (name as HostedChallenge) : undefined;
}

/**
 * The name to show for a challenge the pages have no form for. Takes the switch's narrowed
 * name, which is undefined only when every listed challenge had its case.
 */
export function unhostedName(narrowed: undefined, raw: string | undefined): string {
  return raw ?? narrowed ?? "unknown";
}
