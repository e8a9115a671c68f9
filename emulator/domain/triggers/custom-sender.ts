// The custom email and SMS sender triggers: a pool whose LambdaConfig names CustomEmailSender or
// CustomSMSSender does not send that medium's messages itself; it hands the code (or temporary
// password), encrypted with the AWS Encryption SDK, to the function, which delivers it. Cognito
// invokes these functions asynchronously: the operation does not wait for them, and what they
// do (fail, time out) does not change its answer. Cognito encrypts with the pool's KMS key
// (LambdaConfig.KMSKeyID); KMS is not reachable here, so a raw AES keyring with a key made at
// start-up (Triggers.senderKey) stands in for it.
// docs/triggers.md ("Messages"), docs/decisions/0017-lambda-triggers.md ("Messages").
import type { StoredPool } from "../../store/types.js";
import { type MessageSource, messageAttributes } from "./custom-message.js";
import { type TriggerContext, type TriggerName, triggerArn, triggerEvent } from "./run.js";

/** The raw AES keyring's namespace and key name: a decrypting keyring must use the same ones. */
export const SENDER_KEY_NAMESPACE = "cognito-twin";
export const SENDER_KEY_NAME = "custom-sender";

/** The custom sender trigger that sends a medium's messages for the pool, if it has one. */
export function customSenderFor(
  pool: StoredPool,
  medium: "EMAIL" | "SMS",
): Extract<TriggerName, "CustomEmailSender" | "CustomSMSSender"> | undefined {
  const name = medium === "EMAIL" ? "CustomEmailSender" : "CustomSMSSender";
  return triggerArn(pool, name) ? name : undefined;
}

/** One message handed to a custom sender. */
export interface SenderCall {
  readonly name: "CustomEmailSender" | "CustomSMSSender";
  readonly source: MessageSource;
  readonly username: string;
  readonly attributes: readonly { Name?: string; Value?: string }[];
  readonly status: string;
  readonly clientId: string | undefined;
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined;
  /** The code or temporary password, encrypted before it leaves. */
  readonly secret: string;
  /**
   * Asked once the operation that made the message has run to its end (after the current
   * turn of the event loop): false when it stored nothing (its user was never created), and the
   * message is then not handed over.
   */
  readonly stillWanted?: () => boolean;
}

/**
 * Invokes the pool's custom sender for `call` without waiting for it, as Cognito does: the event
 * (`CustomEmailSender_SignUp`, ...; request `type`, `code`, `clientMetadata`, `userAttributes`;
 * no response) is built and sent in the background, and what the function does is only logged
 * and listed (`twin.triggers.invocations`). Never throws.
 */
export function handToCustomSender(ctx: TriggerContext, pool: StoredPool, call: SenderCall): void {
  const arn = triggerArn(pool, call.name);
  if (!arn) return;
  const triggerSource = `${call.name}_${call.source}`;
  void (async () => {
    // The operation's remaining synchronous work (storing the user) runs before this turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (call.stillWanted && !call.stillWanted()) return;
    const code = await encryptSecret(ctx.triggers.senderKey, call.secret);
    const { response: _none, ...event } = triggerEvent(ctx, pool, {
      name: call.name,
      triggerSource,
      userName: call.username,
      clientId: call.clientId,
      request: {
        type: call.name === "CustomEmailSender" ? "customEmailSenderRequestV1" : "customSMSSenderRequestV1",
        code,
        ...(call.clientMetadata ? { clientMetadata: { ...call.clientMetadata } } : {}),
        userAttributes: messageAttributes(call.attributes, call.status),
      },
      response: {},
    });
    // The trigger service logs and lists a failure; the operation has answered already.
    await ctx.triggers.invoke(arn, event, triggerSource);
  })().catch(() => undefined);
}

type EncryptionSdk = typeof import("@aws-crypto/client-node");
/** The Encryption SDK, imported on first use: most runs have no custom sender. */
let sdk: Promise<EncryptionSdk> | undefined;

/** `secret` encrypted with the AWS Encryption SDK under the raw AES key, base64, as Cognito sends `code`. */
async function encryptSecret(key: Buffer, secret: string): Promise<string> {
  sdk ??= import("@aws-crypto/client-node");
  const { buildClient, CommitmentPolicy, RawAesKeyringNode, RawAesWrappingSuiteIdentifier } = await sdk;
  const keyring = new RawAesKeyringNode({
    keyNamespace: SENDER_KEY_NAMESPACE,
    keyName: SENDER_KEY_NAME,
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const { encrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const { result } = await encrypt(keyring, Buffer.from(secret, "utf8"));
  return result.toString("base64");
}
