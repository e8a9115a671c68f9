// The text of the messages Cognito sends with a code or a temporary password, and the custom
// message trigger that may rewrite it. A message starts as the pool's template for its occasion
// (VerificationMessageTemplate, InviteMessageTemplate, the MFA messages) or Cognito's default
// text; a pool with LambdaConfig.CustomMessage hands that occasion to the function, whose
// smsMessage / emailMessage / emailSubject replace the template when Cognito would accept them.
// The placeholders ({####}, {username}, {##link##}) are filled in last, by fillMessage.
// docs/triggers.md ("Messages"), docs/decisions/0017-lambda-triggers.md ("Messages").

import type { StoredPool } from "../../store/types.js";
import { domainHostname, domainOfKind, poolRegion } from "../domains.js";
import { attributeMap, readString, runTrigger, type TriggerContext } from "./run.js";

/**
 * Why a message goes out, as the custom message and custom sender triggers name it
 * (`CustomMessage_SignUp`, `CustomEmailSender_ForgotPassword`, ...).
 */
export type MessageSource =
  | "SignUp"
  | "ResendCode"
  | "ForgotPassword"
  | "UpdateUserAttribute"
  | "VerifyUserAttribute"
  | "AdminCreateUser"
  | "Authentication";

/** Where the code (or temporary password) goes in a message: the event's `codeParameter`. */
const CODE_PARAMETER = "{####}";
/** Where the username goes in an invitation: the event's `usernameParameter` (AdminCreateUser only). */
const USERNAME_PARAMETER = "{username}";
/** The event's `linkParameter`: where a sign-up confirmation email puts its link. */
const LINK_PARAMETER = "{##Click Here##}";
/** `{##text##}`: a link whose text is `text` (link-style verification emails). */
const LINK_PLACEHOLDER = /\{##(.*?)##\}/gs;
/** Every placeholder a message may hold, for fillMessage's single pass. */
const PLACEHOLDERS = /\{####\}|\{username\}|\{##(.*?)##\}/gs;

/** Cognito's longest messages, the code included: 20,000 characters by email, 140 by SMS. */
const MAX_EMAIL_MESSAGE = 20_000;
const MAX_SMS_MESSAGE = 140;
/** The longest subject a template may have (MessageTemplateType.EmailSubject). */
const MAX_EMAIL_SUBJECT = 140;

/**
 * Cognito's texts for a pool that sets no template: what DescribeUserPool shows for a pool
 * created in the console with the defaults (they end with a space, as Cognito's do).
 */
const DEFAULT_TEXT = {
  verificationMessage: "Your verification code is {####}. ",
  verificationSubject: "Your verification code",
  linkMessage: "Please click the link below to verify your email address. {##Verify Email##} ",
  linkSubject: "Your verification link",
  inviteMessage: "Your username is {username} and temporary password is {####}. ",
  inviteSubject: "Your temporary password",
  authenticationMessage: "Your authentication code is {####}. ",
  authenticationSubject: "Your authentication code",
} as const;

/** A message before the code goes in: its text with placeholders, and an email's subject. */
interface MessageText {
  readonly subject?: string | undefined;
  readonly message: string;
}

/** True for the messages that confirm a sign-up, the only ones a verification link can be in. */
function confirmsSignUp(source: MessageSource): boolean {
  return source === "SignUp" || source === "ResendCode";
}

/**
 * The pool's own text for a message: its template for the occasion and medium, else Cognito's
 * default. Codes for a forgotten password and for attributes use the verification templates, as
 * Cognito's do; a sign-up confirmation by email uses the link templates when the pool's
 * DefaultEmailOption is CONFIRM_WITH_LINK.
 */
function poolMessage(pool: StoredPool, source: MessageSource, medium: "EMAIL" | "SMS"): MessageText {
  const p = pool.pool;
  if (source === "AdminCreateUser") {
    const invite = p.AdminCreateUserConfig?.InviteMessageTemplate;
    return medium === "EMAIL"
      ? {
          subject: invite?.EmailSubject ?? DEFAULT_TEXT.inviteSubject,
          message: invite?.EmailMessage ?? DEFAULT_TEXT.inviteMessage,
        }
      : { message: invite?.SMSMessage ?? DEFAULT_TEXT.inviteMessage };
  }
  if (source === "Authentication") {
    if (medium === "SMS") {
      const message = pool.mfa.SmsMfaConfiguration?.SmsAuthenticationMessage ?? p.SmsAuthenticationMessage;
      return { message: message ?? DEFAULT_TEXT.authenticationMessage };
    }
    const email = pool.mfa.EmailMfaConfiguration;
    return {
      subject: email?.Subject ?? DEFAULT_TEXT.authenticationSubject,
      message: email?.Message ?? DEFAULT_TEXT.authenticationMessage,
    };
  }
  const template = p.VerificationMessageTemplate;
  if (medium === "SMS")
    return { message: template?.SmsMessage ?? p.SmsVerificationMessage ?? DEFAULT_TEXT.verificationMessage };
  if (confirmsSignUp(source) && template?.DefaultEmailOption === "CONFIRM_WITH_LINK") {
    return {
      subject: template.EmailSubjectByLink ?? DEFAULT_TEXT.linkSubject,
      message: template.EmailMessageByLink ?? DEFAULT_TEXT.linkMessage,
    };
  }
  return {
    subject: template?.EmailSubject ?? p.EmailVerificationSubject ?? DEFAULT_TEXT.verificationSubject,
    message: template?.EmailMessage ?? p.EmailVerificationMessage ?? DEFAULT_TEXT.verificationMessage,
  };
}

/**
 * A message event's `userAttributes`: the user's attributes with `cognito:user_status` after
 * `sub`, as Cognito's events list them.
 */
export function messageAttributes(
  attributes: readonly { Name?: string; Value?: string }[],
  status: string,
): Record<string, string> {
  const { sub, ...rest } = attributeMap(attributes);
  return { ...(sub !== undefined ? { sub } : {}), "cognito:user_status": status, ...rest };
}

/** One message about to go out, as the custom message trigger is told about it. */
export interface MessageCall {
  readonly source: MessageSource;
  readonly medium: "EMAIL" | "SMS";
  /** The event's `userName`, and what `{username}` becomes. */
  readonly username: string;
  /** The user's attributes as they will be once the call succeeds. */
  readonly attributes: readonly { Name?: string; Value?: string }[];
  /** The user's status, which events carry as `cognito:user_status`. */
  readonly status: string;
  /** The app client of the call; undefined for admin operations. */
  readonly clientId: string | undefined;
  /** The request's ClientMetadata; left out of the event when the request had none. */
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
}

/** The message to send, with the reason the function's answer was not used, if it was not. */
export interface ComposedMessage extends MessageText {
  /** Why (part of) what the custom message trigger answered was replaced by the pool's text. */
  readonly note?: string | undefined;
}

/**
 * The message for `call`: the pool's text, or, when the pool has a custom message trigger, what
 * the function answers for the medium. An answer Cognito would not send (no `{####}`, no
 * `{username}` in an invitation, longer than a message may be once the code is in, a subject
 * longer than 140 characters) leaves the pool's text in its place, as Cognito does; the reason
 * is in `note`. Throws the trigger's errors (run.ts) when the function fails: the caller has
 * issued nothing yet, so the operation fails whole.
 */
export async function composeMessage(
  ctx: TriggerContext,
  pool: StoredPool,
  call: MessageCall,
  secretLength: number,
): Promise<ComposedMessage> {
  const template = poolMessage(pool, call.source, call.medium);
  const response = await runTrigger(ctx, pool, {
    name: "CustomMessage",
    triggerSource: `CustomMessage_${call.source}`,
    userName: call.username,
    clientId: call.clientId,
    request: {
      userAttributes: messageAttributes(call.attributes, call.status),
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      usernameParameter: call.source === "AdminCreateUser" ? USERNAME_PARAMETER : null,
      ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
    },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  });
  if (!response) return template;
  // Every member is read, so a wrong type is refused whichever medium this message goes by.
  const smsMessage = readString(response, "smsMessage");
  const emailMessage = readString(response, "emailMessage");
  const emailSubject = readString(response, "emailSubject");
  const notes: string[] = [];
  const answered = call.medium === "EMAIL" ? emailMessage : smsMessage;
  let message = template.message;
  if (answered !== undefined) {
    const problem = messageProblem(call, answered, secretLength);
    if (problem) notes.push(`${call.medium === "EMAIL" ? "emailMessage" : "smsMessage"} ${problem}`);
    else message = answered;
  }
  let subject = template.subject;
  if (call.medium === "EMAIL" && emailSubject !== undefined) {
    if (emailSubject.trim() === "") notes.push("emailSubject is empty");
    else if (emailSubject.length > MAX_EMAIL_SUBJECT)
      notes.push(`emailSubject is longer than ${MAX_EMAIL_SUBJECT} characters`);
    else subject = emailSubject;
  }
  const note =
    notes.length > 0 ? `the custom message trigger's ${notes.join("; ")}: the pool's text was sent` : undefined;
  return { ...(subject !== undefined ? { subject } : {}), message, ...(note ? { note } : {}) };
}

/** Why Cognito would not send `text` as this message, or undefined when it would. */
function messageProblem(call: MessageCall, text: string, secretLength: number): string | undefined {
  const hasLink = call.medium === "EMAIL" && confirmsSignUp(call.source) && new RegExp(LINK_PLACEHOLDER).test(text);
  if (!text.includes(CODE_PARAMETER) && !hasLink) return `does not contain ${CODE_PARAMETER}`;
  if (call.source === "AdminCreateUser" && !text.includes(USERNAME_PARAMETER))
    return `does not contain ${USERNAME_PARAMETER}`;
  const max = call.medium === "EMAIL" ? MAX_EMAIL_MESSAGE : MAX_SMS_MESSAGE;
  const length = fillMessage(text, { secret: "x".repeat(secretLength), username: call.username }).length;
  if (length > max) return `is ${length} characters with the code in, more than the ${max} a message may have`;
  return undefined;
}

/** What goes in place of a message's placeholders. */
export interface MessageValues {
  /** The code, or an invitation's temporary password. */
  readonly secret: string;
  readonly username: string;
  /** Where a sign-up confirmation link points, when the message can have one. */
  readonly confirmLink?: string | undefined;
}

/** A message with its placeholders filled in: `{####}`, `{username}`, and `{##text##}` links. */
export function fillMessage(text: string, values: MessageValues): string {
  // One pass with a function for every replacement: a code or temporary password holding `$&`
  // or `{username}` (they are random) is written as it is, never read as a pattern or placeholder.
  const href = values.confirmLink?.replaceAll("&", "&amp;");
  return text.replace(PLACEHOLDERS, (match: string, label: string | undefined) => {
    if (match === CODE_PARAMETER) return values.secret;
    if (match === USERNAME_PARAMETER) return values.username;
    return href === undefined ? match : `<a href="${href}">${label ?? ""}</a>`;
  });
}

/**
 * The link of a sign-up confirmation email: the pool domain's `/confirmUser` with the client,
 * the username and the code, as Cognito builds it. Undefined for other messages, and for a pool
 * without a domain or a call without a client (Cognito needs both for link verification).
 */
export function confirmLink(
  pool: StoredPool,
  source: MessageSource,
  medium: "EMAIL" | "SMS",
  values: { clientId: string | undefined; username: string; code: string },
): string | undefined {
  if (medium !== "EMAIL" || !confirmsSignUp(source) || values.clientId === undefined) return undefined;
  const domain = domainOfKind(pool, false) ?? domainOfKind(pool, true);
  if (!domain) return undefined;
  const query = new URLSearchParams({
    client_id: values.clientId,
    user_name: values.username,
    confirmation_code: values.code,
  });
  return `https://${domainHostname(domain, poolRegion(pool))}/confirmUser?${query}`;
}
