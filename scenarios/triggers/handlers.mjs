// The Lambda functions of the trigger scenarios (scenarios/triggers.ts), one export per function.
// Plain JavaScript without imports, so any emulator process loads it as it is: the in-process
// emulator, `node dist/emulator/cli.js --trigger ...`, the container (copied in by the container
// target). They run inside the emulator, never in the scenario process, so they share no state
// with it: everything they decide follows from the event (the email's local part, the session),
// and the scenarios compute the same from what they sent. Each checks the part of its event the
// scenario relies on and throws when it differs, so a wrong event fails the scenario with the
// reason in Cognito's error message (`PreSignUp failed with error ...`).
//
// The function names are the export names: `--trigger scenarioPreSignUp=./scenarios/triggers/handlers.mjs#scenarioPreSignUp,...`
// (`npm run scenarios -- --print-trigger-map` prints the whole mapping).

/**
 * The answer of the probe the scenario runner makes before the first trigger scenario: a
 * PreSignUp that refuses with this message proves the functions are mapped.
 */
export const PROBE_MESSAGE = "cognito-twin scenario functions are mapped";

/** The users the legacy system of `scenarioUserMigration` knows (email, password, name). */
export const LEGACY_USERS = Object.freeze([
  Object.freeze({ email: "legacy.ada@example.com", password: "Legacy-Pass-1!", name: "Ada Legacy" }),
  Object.freeze({ email: "legacy.grace@example.com", password: "Legacy-Pass-2!", name: "Grace Legacy" }),
]);

/** The claim `scenarioPreTokenGeneration` adds to both tokens, and the scope it adds to the access token. */
export const TOKEN_CLAIM = Object.freeze({ name: "scenario_tier", value: "gold", scope: "scenario/read" });

/** How many wrong answers `scenarioDefineAuthChallenge` allows before it fails the sign-in. */
export const MAX_WRONG_ANSWERS = 3;

/** Throws unless the condition holds (the function then fails, which the scenario sees). */
function expect(condition, message) {
  if (!condition) throw new Error(`unexpected event: ${message}`);
}

/** The local part of an email, lower-cased (where the scenarios put `+auto`, `+refuse`, `+fail`, `+blocked`). */
function localPart(event) {
  const email = String(event.request?.userAttributes?.email ?? "");
  return email.slice(0, email.lastIndexOf("@")).toLowerCase();
}

/** PreSignUp of the probe: refuses every sign-up with PROBE_MESSAGE. */
export function scenarioProbe() {
  throw new Error(PROBE_MESSAGE);
}

/** PreSignUp: confirms (and verifies the email of) `+auto` addresses, refuses `+refuse` ones. */
export function scenarioPreSignUp(event) {
  expect(event.triggerSource === "PreSignUp_SignUp", `triggerSource ${event.triggerSource}`);
  const local = localPart(event);
  if (local.includes("+refuse")) throw new Error("sign-ups from +refuse addresses are closed");
  if (local.includes("+auto")) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  return event;
}

/** PostConfirmation: fails for `+fail` addresses (which proves it ran); the others pass. */
export function scenarioPostConfirmation(event) {
  expect(event.triggerSource === "PostConfirmation_ConfirmSignUp", `triggerSource ${event.triggerSource}`);
  expect(event.request?.userAttributes?.email, "no email in request.userAttributes");
  if (localPart(event).includes("+fail")) throw new Error("the welcome pack could not be sent");
  return event;
}

/** CustomMessage: a rewritten sign-up email that keeps the code's placeholder. */
export function scenarioCustomMessage(event) {
  if (event.triggerSource === "CustomMessage_SignUp" || event.triggerSource === "CustomMessage_ResendCode") {
    const name = event.request?.userAttributes?.name ?? "there";
    event.response.emailSubject = "Welcome to the scenarios";
    event.response.emailMessage = `Hello ${name}, your scenario code is ${event.request.codeParameter}.`;
  }
  return event;
}

/** PreAuthentication: refuses `+blocked` addresses. */
export function scenarioPreAuthentication(event) {
  expect(event.triggerSource === "PreAuthentication_Authentication", `triggerSource ${event.triggerSource}`);
  if (localPart(event).includes("+blocked")) throw new Error("this account is blocked");
  return event;
}

/** PostAuthentication: fails for `+audit` addresses (the sign-in then gets no tokens); the others pass. */
export function scenarioPostAuthentication(event) {
  expect(event.triggerSource === "PostAuthentication_Authentication", `triggerSource ${event.triggerSource}`);
  expect(event.request?.newDeviceUsed === false, `newDeviceUsed ${event.request?.newDeviceUsed}`);
  expect(event.request?.userAttributes?.["cognito:user_status"] === "CONFIRMED", "cognito:user_status");
  if (localPart(event).includes("+audit")) throw new Error("the sign-in could not be audited");
  return event;
}

/**
 * CustomEmailSender: takes the sign-up email. It delivers nothing (the scenario decrypts the code
 * from the event the emulator lists, with the key it exposes); it checks the event's shape, and
 * that the code is not the plain six digits.
 */
export function scenarioCustomEmailSender(event) {
  expect(event.triggerSource === "CustomEmailSender_SignUp", `triggerSource ${event.triggerSource}`);
  expect(event.request?.type === "customEmailSenderRequestV1", `request.type ${event.request?.type}`);
  expect(
    typeof event.request?.code === "string" && !/^\d{6}$/.test(event.request.code),
    "request.code is not encrypted",
  );
  expect(event.request?.userAttributes?.email, "no email in request.userAttributes");
  return event;
}

/** PreTokenGeneration, event version 2: TOKEN_CLAIM in both tokens, its scope in the access token. */
export function scenarioPreTokenGeneration(event) {
  expect(event.version === "2", `version ${event.version} (the pool should name this function with V2_0)`);
  const claims = { [TOKEN_CLAIM.name]: TOKEN_CLAIM.value };
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: claims },
      accessTokenGeneration: { claimsToAddOrOverride: claims, scopesToAdd: [TOKEN_CLAIM.scope] },
    },
  };
  return event;
}

/** UserMigration: brings in LEGACY_USERS (signing in with their legacy password, or resetting it). */
export function scenarioUserMigration(event) {
  const user = LEGACY_USERS.find((u) => u.email === String(event.userName).toLowerCase());
  if (!user) throw new Error("no such legacy user");
  if (event.triggerSource === "UserMigration_Authentication") {
    if (event.request?.password !== user.password) throw new Error("wrong legacy password");
  } else {
    expect(event.triggerSource === "UserMigration_ForgotPassword", `triggerSource ${event.triggerSource}`);
  }
  event.response.userAttributes = { email: user.email, email_verified: "true", name: user.name };
  event.response.finalUserStatus = "CONFIRMED";
  event.response.messageAction = "SUPPRESS";
  return event;
}

/** DefineAuthChallenge: arithmetic questions until one is answered (tokens) or MAX_WRONG_ANSWERS are wrong. */
export function scenarioDefineAuthChallenge(event) {
  const session = event.request?.session ?? [];
  const last = session.at(-1);
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
  if (last?.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult === true) {
    event.response.issueTokens = true;
  } else if (session.length >= MAX_WRONG_ANSWERS) {
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = "CUSTOM_CHALLENGE";
  }
  return event;
}

/** CreateAuthChallenge: "What is A + B?", A and B from how many questions came before. */
export function scenarioCreateAuthChallenge(event) {
  expect(event.request?.challengeName === "CUSTOM_CHALLENGE", `challengeName ${event.request?.challengeName}`);
  const asked = (event.request.session ?? []).length;
  const a = 7 + asked;
  const b = 5 + 2 * asked;
  event.response.publicChallengeParameters = { question: `What is ${a} + ${b}?` };
  event.response.privateChallengeParameters = { answer: String(a + b) };
  event.response.challengeMetadata = `QUESTION-${asked + 1}`;
  return event;
}

/** VerifyAuthChallengeResponse: the answer is right when it is the sum. */
export function scenarioVerifyAuthChallenge(event) {
  const expected = event.request?.privateChallengeParameters?.answer;
  expect(typeof expected === "string", "no privateChallengeParameters.answer from CreateAuthChallenge");
  event.response.answerCorrect = String(event.request.challengeAnswer).trim() === expected;
  return event;
}
