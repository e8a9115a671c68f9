// The pre sign-up trigger: run before a new user is stored, by SignUp (and the managed login
// sign-up page, which calls it), AdminCreateUser and, once federation exists, a federated user's
// first sign-in. Its event, the response Cognito pre-fills, and what each source does with the
// answer (docs/triggers.md, "Sign-up and confirmation"; evidence in docs/decisions/0017).
import type { AttributeType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../../core/errors.js";
import type { StoredPool } from "../../store/types.js";
import { attributeMap, readBoolean, runTrigger, type TriggerContext } from "./run.js";

/** What the pre sign-up event says about the user about to be created. */
export interface PreSignUpCall {
  /** The event's `userName`: the new username (a UUID in email- or phone-as-username pools). */
  readonly userName: string;
  /** The app client (SignUp); undefined for AdminCreateUser (`CLIENT_ID_NOT_APPLICABLE`). */
  readonly clientId: string | undefined;
  /** The attributes the user will be stored with (no `sub` yet: the user does not exist). */
  readonly attributes: readonly AttributeType[];
  /** The request's ValidationData; the event carries `null` when the request had none. */
  readonly validationData?: readonly AttributeType[] | undefined;
  /** The request's ClientMetadata, passed as sent; left out of the event when the request had none. */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** The function's answer: the three flags of the pre sign-up response (false when not set). */
export interface PreSignUpAnswer {
  readonly autoConfirmUser: boolean;
  readonly autoVerifyEmail: boolean;
  readonly autoVerifyPhone: boolean;
}

/** What SignUp does with the new user after the trigger. */
export interface SignUpOutcome {
  /** CONFIRMED at once: no confirmation code is sent, and SignUp answers `UserConfirmed: true`. */
  readonly confirmed: boolean;
  /** `email_verified` / `phone_number_verified` to set to "true". */
  readonly verified: Readonly<Record<string, string>>;
}

const NOTHING: PreSignUpAnswer = { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false };

async function runPreSignUp(
  ctx: TriggerContext,
  pool: StoredPool,
  triggerSource: "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider",
  call: PreSignUpCall,
): Promise<PreSignUpAnswer> {
  const response = await runTrigger(ctx, pool, {
    name: "PreSignUp",
    triggerSource,
    userName: call.userName,
    clientId: call.clientId,
    request: {
      userAttributes: attributeMap(call.attributes),
      validationData: call.validationData ? attributeMap(call.validationData) : null,
      ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
    },
    response: { ...NOTHING },
  });
  if (!response) return NOTHING;
  // Every flag is read (a wrong type is refused) before a source decides which ones it honours.
  return {
    autoConfirmUser: readBoolean(response, "autoConfirmUser") ?? false,
    autoVerifyEmail: readBoolean(response, "autoVerifyEmail") ?? false,
    autoVerifyPhone: readBoolean(response, "autoVerifyPhone") ?? false,
  };
}

/**
 * SignUp's pre sign-up (`PreSignUp_SignUp`), once its input is checked and before the user is
 * stored: what to do with the new user. Throws the trigger's errors (runTrigger), and
 * InvalidParameterException when the function auto-verifies without auto-confirming, or
 * auto-verifies an email or phone number the user does not have; nothing is created then.
 */
export async function preSignUpForSignUp(
  ctx: TriggerContext,
  pool: StoredPool,
  call: PreSignUpCall,
): Promise<SignUpOutcome> {
  const answer = await runPreSignUp(ctx, pool, "PreSignUp_SignUp", call);
  if ((answer.autoVerifyEmail || answer.autoVerifyPhone) && !answer.autoConfirmUser)
    throw errors.autoVerifyWithoutAutoConfirm();
  return { confirmed: answer.autoConfirmUser, verified: verifiedAttributes(answer, call.attributes) };
}

/**
 * AdminCreateUser's pre sign-up (`PreSignUp_AdminCreateUser`), before the user is stored. The
 * flags are read but have no effect: Cognito ignores all three for AdminCreateUser (the
 * administrator sets `email_verified` / `phone_number_verified` in UserAttributes instead).
 * Throws the trigger's errors (runTrigger); nothing is created then.
 */
export async function preSignUpForAdminCreateUser(
  ctx: TriggerContext,
  pool: StoredPool,
  call: PreSignUpCall,
): Promise<void> {
  await runPreSignUp(ctx, pool, "PreSignUp_AdminCreateUser", call);
}

/**
 * A federated user's pre sign-up (`PreSignUp_ExternalProvider`), on their first sign-in through
 * an identity provider, with the attributes mapped from the provider. Answers the flags and the
 * verified attributes they ask for; a federated user's status is EXTERNAL_PROVIDER whatever
 * `autoConfirmUser` says, so the caller applies only `verified`. Throws the trigger's errors,
 * and InvalidParameterException for an auto-verified attribute the user does not have.
 */
export async function preSignUpForExternalProvider(
  ctx: TriggerContext,
  pool: StoredPool,
  call: PreSignUpCall,
): Promise<PreSignUpAnswer & { readonly verified: Readonly<Record<string, string>> }> {
  const answer = await runPreSignUp(ctx, pool, "PreSignUp_ExternalProvider", call);
  return { ...answer, verified: verifiedAttributes(answer, call.attributes) };
}

/** The `*_verified` attributes the flags set; each needs the attribute it verifies to have a value. */
function verifiedAttributes(answer: PreSignUpAnswer, attributes: readonly AttributeType[]): Record<string, string> {
  const has = (name: string) => attributes.some((a) => a.Name === name && (a.Value ?? "") !== "");
  const verified: Record<string, string> = {};
  if (answer.autoVerifyEmail) {
    if (!has("email")) throw errors.autoVerifyWithoutAttribute("email");
    verified.email_verified = "true";
  }
  if (answer.autoVerifyPhone) {
    if (!has("phone_number")) throw errors.autoVerifyWithoutAttribute("phone_number");
    verified.phone_number_verified = "true";
  }
  return verified;
}
