// Pools, clients and signed-in users for tests of sign-in, tokens and self-service calls, made
// through the real SDK so the fixtures exercise the same code paths as the tests.

import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AuthenticationResultType,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientRequest,
  CreateUserPoolCommand,
  type CreateUserPoolRequest,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { TestTwin } from "./twin.js";

/** A strong password that every default policy accepts. */
export const PASSWORD = "Passw0rd!";

/** Creates a pool (defaults: email auto-verified) and returns its id. */
export async function createPool(t: TestTwin, input: Partial<CreateUserPoolRequest> = {}): Promise<string> {
  const out = await t.cognito.send(
    new CreateUserPoolCommand({ PoolName: "tokens-test", AutoVerifiedAttributes: ["email"], ...input }),
  );
  return out.UserPool!.Id!;
}

/** Creates a client allowing the password flows (user and admin) and refresh; returns id and secret. */
export async function createClient(
  t: TestTwin,
  poolId: string,
  input: Partial<CreateUserPoolClientRequest> = {},
): Promise<{ clientId: string; clientSecret?: string }> {
  const out = await t.cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "tokens-test-client",
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      ...input,
    }),
  );
  return { clientId: out.UserPoolClient!.ClientId!, clientSecret: out.UserPoolClient!.ClientSecret };
}

/** Creates a CONFIRMED user with a permanent password and (by default) a verified email. */
export async function createUser(
  t: TestTwin,
  poolId: string,
  username: string,
  opts: { password?: string; attributes?: Record<string, string> } = {},
): Promise<void> {
  const attributes = opts.attributes ?? { email: `${username}@example.com`, email_verified: "true" };
  await t.cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await t.cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: opts.password ?? PASSWORD,
      Permanent: true,
    }),
  );
}

/** Signs in with USER_PASSWORD_AUTH and returns the tokens. */
export async function signIn(
  t: TestTwin,
  clientId: string,
  username: string,
  password = PASSWORD,
  clientSecret?: string,
): Promise<Required<Pick<AuthenticationResultType, "AccessToken" | "IdToken" | "RefreshToken">>> {
  const out = await t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: {
        USERNAME: username,
        PASSWORD: password,
        ...(clientSecret ? { SECRET_HASH: secretHash(clientSecret, username, clientId) } : {}),
      },
    }),
  );
  const r = out.AuthenticationResult!;
  return { AccessToken: r.AccessToken!, IdToken: r.IdToken!, RefreshToken: r.RefreshToken! };
}

/** Base64(HMAC-SHA256(secret, username + clientId)), computed independently of the emulator. */
export function secretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac("sha256", clientSecret)
    .update(username + clientId)
    .digest("base64");
}

/** The decoded payload of a JWT (no verification). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The decoded header of a JWT. */
export function headerOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

/** Messages the emulator "sent", from GET /_twin/messages. */
export async function inbox(
  t: TestTwin,
  poolId: string,
  username?: string,
): Promise<
  { code?: string; reason: string; attributeName?: string; destination: string; temporaryPassword?: string }[]
> {
  const q = new URLSearchParams({ userPoolId: poolId, ...(username ? { username } : {}) });
  const res = await fetch(`${t.url}/_twin/messages?${q.toString()}`);
  return ((await res.json()) as { messages: never[] }).messages;
}
