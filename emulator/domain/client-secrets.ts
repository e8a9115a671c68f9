// App client secrets: a confidential client has one or two at once (AddUserPoolClientSecret,
// for rotation without downtime), and every check of the secret accepts any of them. The oldest
// is mirrored in `client.ClientSecret`, which DescribeUserPoolClient shows (docs/decisions/0026).
import { timingSafeEqual } from "node:crypto";
import type { ClientSecretDescriptorType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { ClientSecretRecord, DeepReadonly, StoredClient } from "../store/types.js";

/** Cognito's limit: two active secrets per app client. */
const MAX_CLIENT_SECRETS = 2;

/** A secret as the client's record holds it. */
type StoredSecret = DeepReadonly<ClientSecretRecord>;

/**
 * The client's secrets, oldest first. A client that never had AddUserPoolClientSecret has its
 * one secret in `client.ClientSecret`, named `<client-id>--<creation time>` after the client.
 */
export function clientSecretsOf(client: StoredClient): readonly StoredSecret[] {
  if (client.secrets) return client.secrets;
  const value = client.client.ClientSecret;
  if (value === undefined) return [];
  const createdAt = Math.round((client.client.CreationDate ?? 0) * 1000);
  return [{ id: `${client.client.ClientId}--${createdAt}`, value, createdAt }];
}

/** The values of every secret of the client (empty for a public client): what checks compare against. */
export function clientSecretValues(client: StoredClient): string[] {
  return clientSecretsOf(client).map((s) => s.value);
}

/** True when `given` is one of the client's secrets (compared in constant time per secret). */
export function matchesClientSecret(client: StoredClient, given: string): boolean {
  const a = Buffer.from(given);
  let ok = false;
  // Every secret is compared, so the time taken does not tell which one matched.
  for (const value of clientSecretValues(client)) {
    const b = Buffer.from(value);
    if (a.length === b.length && timingSafeEqual(a, b)) ok = true;
  }
  return ok;
}

/** The client's record with `secrets` as its secrets, `ClientSecret` mirroring the oldest. */
function withSecrets(client: StoredClient, secrets: readonly StoredSecret[]): StoredClient {
  return { ...client, secrets, client: { ...client.client, ClientSecret: secrets[0]!.value } };
}

/**
 * The client with a new secret added (AddUserPoolClientSecret): `value` when the caller chose
 * one, else `generated`. Refused for a client created without a secret (a public client), and
 * when it already has two.
 */
export function clientWithNewSecret(
  client: StoredClient,
  value: string | undefined,
  generated: () => string,
  now: number,
): { client: StoredClient; secret: StoredSecret } {
  const secrets = clientSecretsOf(client);
  const id = client.client.ClientId!;
  if (secrets.length === 0) throw errors.clientSecretOnPublicClient(id);
  if (secrets.length >= MAX_CLIENT_SECRETS) throw errors.clientSecretLimit(id, MAX_CLIENT_SECRETS);
  // The id carries the creation time; two secrets made within one millisecond still differ.
  let createdAt = now;
  while (secrets.some((s) => s.id === `${id}--${createdAt}`)) createdAt += 1;
  const secret = { id: `${id}--${createdAt}`, value: value ?? generated(), createdAt };
  return { client: withSecrets(client, [...secrets, secret]), secret };
}

/** The client without the secret `secretId` (DeleteUserPoolClientSecret); its last secret cannot go. */
export function clientWithoutSecret(client: StoredClient, secretId: string): StoredClient {
  const secrets = clientSecretsOf(client);
  const rest = secrets.filter((s) => s.id !== secretId);
  if (rest.length === secrets.length) throw errors.clientSecretNotFound(secretId);
  if (rest.length === 0) throw errors.lastClientSecret();
  return withSecrets(client, rest);
}

/** A secret as ListUserPoolClientSecrets describes it: never its value. */
export function clientSecretDescriptor(secret: StoredSecret): Wire<ClientSecretDescriptorType> {
  return { ClientSecretId: secret.id, ClientSecretCreateDate: secret.createdAt / 1000 };
}
