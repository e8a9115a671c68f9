// Identity pools for tests (docs/identity-pools.md): an SDK v3 Cognito Identity client pointed at
// an emulator, and an identity pool wired to a user pool's client with roles.
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  type CreateIdentityPoolInput,
  type Credentials,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
  type SetIdentityPoolRolesInput,
} from "@aws-sdk/client-cognito-identity";
import type { IssuedCredentials } from "../emulator/services/identity-credentials.js";
import { authTest } from "./fixtures.js";

/** Role ARNs the fixtures attach (nothing checks them: any ARN-shaped string does). */
export const ROLES = {
  authenticated: "arn:aws:iam::123456789012:role/twin-authenticated",
  unauthenticated: "arn:aws:iam::123456789012:role/twin-guest",
  admin: "arn:aws:iam::123456789012:role/twin-admin",
} as const;

/** A Cognito Identity client for an emulator URL, with dummy credentials for the signed calls. */
export function identityClient(url: string, region = "us-east-1"): CognitoIdentityClient {
  return new CognitoIdentityClient({
    region,
    endpoint: url,
    credentials: { accessKeyId: "AKIDTWINTEST", secretAccessKey: "twin-test-secret" },
    maxAttempts: 1,
  });
}

/** The Logins key of a user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`. */
export function providerOf(poolId: string): string {
  return `cognito-idp.${poolId.split("_")[0]}.amazonaws.com/${poolId}`;
}

/** The Logins map of a user pool's ID token. */
export function loginsOf(poolId: string, idToken: string): Record<string, string> {
  return { [providerOf(poolId)]: idToken };
}

/**
 * GetId then GetCredentialsForIdentity with the same logins (none: a guest), as Amplify's
 * fetchAuthSession asks; `customRoleArn` picks a role the token's cognito:roles allow.
 */
export async function credentialsFor(
  client: CognitoIdentityClient,
  identityPoolId: string,
  logins?: Record<string, string>,
  customRoleArn?: string,
): Promise<{ identityId: string; credentials: Credentials }> {
  const { IdentityId } = await client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins }));
  const out = await client.send(
    new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins, CustomRoleArn: customRoleArn }),
  );
  return { identityId: IdentityId!, credentials: out.Credentials! };
}

/** Whose issued credentials are, as GET /_twin/identity-credentials answers: no session token, ISO times. */
type CredentialsOwner = Omit<IssuedCredentials, "sessionToken" | "issuedAt" | "expiresAt"> & {
  issuedAt: string;
  expiresAt: string;
};

/** Whose the credentials with `accessKeyId` are, or undefined when they are nobody's (404: unknown or expired). */
export async function credentialsOwner(url: string, accessKeyId: string): Promise<CredentialsOwner | undefined> {
  const res = await fetch(`${url}/_twin/identity-credentials?accessKeyId=${encodeURIComponent(accessKeyId)}`);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`/_twin/identity-credentials answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as CredentialsOwner;
}

/**
 * An identity pool that takes the user pool client's ID tokens, allows guests (unless told
 * otherwise) and has the fixtures' authenticated and guest roles; returns its id.
 */
export async function createIdentityPool(
  client: CognitoIdentityClient,
  userPool?: { poolId: string; clientId: string; serverSideTokenCheck?: boolean },
  input: Partial<CreateIdentityPoolInput> = {},
  roles: Partial<SetIdentityPoolRolesInput> = {},
): Promise<string> {
  const out = await client.send(
    new CreateIdentityPoolCommand({
      IdentityPoolName: "twin_identities",
      AllowUnauthenticatedIdentities: true,
      ...(userPool
        ? {
            CognitoIdentityProviders: [
              {
                ProviderName: providerOf(userPool.poolId),
                ClientId: userPool.clientId,
                ServerSideTokenCheck: userPool.serverSideTokenCheck ?? false,
              },
            ],
          }
        : {}),
      ...input,
    }),
  );
  const id = out.IdentityPoolId!;
  await client.send(
    new SetIdentityPoolRolesCommand({
      IdentityPoolId: id,
      Roles: { authenticated: ROLES.authenticated, unauthenticated: ROLES.unauthenticated },
      ...roles,
    }),
  );
  return id;
}

/**
 * `authTest` with `ci`: a Cognito Identity client for the file's emulator, made once per file.
 *
 * @example
 * it("gives a guest credentials", async ({ ci }) => { ... });
 */
export const identityTest = authTest.extend("ci", { scope: "file" }, ({ t }, { onCleanup }) => {
  const c = identityClient(t.url);
  onCleanup(() => c.destroy());
  return c;
});
