// Types of handlers.mjs, for the scenario code that reads its constants and the tests that call
// its functions (the scenarios never call them: the emulator does). Keep in step with
// handlers.mjs; functions.test.ts checks that TRIGGER_FUNCTIONS is what the module exports.
import type {
  CreateAuthChallengeTriggerEvent,
  CustomEmailSenderTriggerEvent,
  CustomMessageTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  PostAuthenticationTriggerEvent,
  PostConfirmationTriggerEvent,
  PreAuthenticationTriggerEvent,
  PreSignUpTriggerEvent,
  PreTokenGenerationV2TriggerEvent,
  UserMigrationTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from "aws-lambda";

export declare const PROBE_MESSAGE: string;
export declare const LEGACY_USERS: readonly {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}[];
export declare const TOKEN_CLAIM: { readonly name: string; readonly value: string; readonly scope: string };
export declare const MAX_WRONG_ANSWERS: number;

/** Each function returns the event it was given, with its response filled in, or throws. */
export declare function scenarioProbe(): never;
export declare function scenarioPreSignUp(event: PreSignUpTriggerEvent): PreSignUpTriggerEvent;
export declare function scenarioPostConfirmation(event: PostConfirmationTriggerEvent): PostConfirmationTriggerEvent;
export declare function scenarioCustomMessage(event: CustomMessageTriggerEvent): CustomMessageTriggerEvent;
export declare function scenarioPreAuthentication(event: PreAuthenticationTriggerEvent): PreAuthenticationTriggerEvent;
export declare function scenarioPostAuthentication(
  event: PostAuthenticationTriggerEvent,
): PostAuthenticationTriggerEvent;
export declare function scenarioCustomEmailSender(event: CustomEmailSenderTriggerEvent): CustomEmailSenderTriggerEvent;
export declare function scenarioPreTokenGeneration(
  event: PreTokenGenerationV2TriggerEvent,
): PreTokenGenerationV2TriggerEvent;
export declare function scenarioUserMigration(event: UserMigrationTriggerEvent): UserMigrationTriggerEvent;
export declare function scenarioDefineAuthChallenge(
  event: DefineAuthChallengeTriggerEvent,
): DefineAuthChallengeTriggerEvent;
export declare function scenarioCreateAuthChallenge(
  event: CreateAuthChallengeTriggerEvent,
): CreateAuthChallengeTriggerEvent;
export declare function scenarioVerifyAuthChallenge(
  event: VerifyAuthChallengeResponseTriggerEvent,
): VerifyAuthChallengeResponseTriggerEvent;
