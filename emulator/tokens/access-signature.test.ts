// The remembered signature check: a token verified once skips the RSA operation afterwards, but
// every check that can change its answer still runs on every call.
import {
  AdminDisableUserCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, signIn } from "../../test-support/auth-fixtures.js";
import { call, startTwin, type TestTwin } from "../../test-support/twin.js";
import { createApp } from "../app.js";
import type { SeedFile } from "../seed.js";

let t: TestTwin;
let poolId: string;
let clientId: string;

beforeEach(async () => {
  t = await startTwin();
  poolId = await createPool(t);
  ({ clientId } = await createClient(t, poolId));
  await createUser(t, poolId, "alice");
});
afterEach(() => t.close());

const getUser = (token: string) => t.cognito.send(new GetUserCommand({ AccessToken: token }));

async function refusal(token: string): Promise<string> {
  const e = await getUser(token).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(e).toBeDefined();
  return `${e!.name}: ${e!.message}`;
}

describe("a remembered access token", () => {
  it("answers every call with the same token", async () => {
    const { AccessToken } = await signIn(t, clientId, "alice");
    for (let i = 0; i < 3; i++) expect((await getUser(AccessToken)).Username).toBe("alice");
  });

  it("is refused once the emulator's clock passes its expiry, and accepted again if the clock goes back", async () => {
    const { AccessToken } = await signIn(t, clientId, "alice");
    await getUser(AccessToken);
    t.twin.services.clock.advance(3600);
    expect(await refusal(AccessToken)).toBe("NotAuthorizedException: Access Token has expired");
    // A minute back, not one second: real time keeps running under a loaded CI machine.
    t.twin.services.clock.advance(-60);
    expect((await getUser(AccessToken)).Username).toBe("alice");
  });

  it("is refused after sign-out and for a disabled user", async () => {
    const first = await signIn(t, clientId, "alice");
    await getUser(first.AccessToken);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
    expect(await refusal(first.AccessToken)).toBe("NotAuthorizedException: Access Token has been revoked");

    const second = await signIn(t, clientId, "alice");
    await getUser(second.AccessToken);
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "alice" }));
    // Disabling revokes the user's sessions (docs/decisions/0007); either way the token is dead.
    expect(await refusal(second.AccessToken)).toMatch(
      /^NotAuthorizedException: (Access Token has been revoked|User is disabled\.)$/,
    );
  });

  it("does not vouch for a different payload under its signature", async () => {
    const { AccessToken } = await signIn(t, clientId, "alice");
    await getUser(AccessToken);
    const [h, p, s] = AccessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 86_400 })).toString("base64url")}.${s}`;
    expect(await refusal(tampered)).toBe("NotAuthorizedException: Invalid Access Token");
    expect((await getUser(AccessToken)).Username).toBe("alice");
  });

  it("is refused once its pool is deleted", async () => {
    const { AccessToken } = await signIn(t, clientId, "alice");
    await getUser(AccessToken);
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect(await refusal(AccessToken)).toBe("NotAuthorizedException: Invalid Access Token");
  });
});

describe("keys replaced under the same pool id", () => {
  it("refuses a token signed by the pool's previous keys after a reset re-creates the seeded pool", async () => {
    const seed: SeedFile = {
      UserPools: [
        {
          Id: "us-east-1_SeedKeys1",
          PoolName: "seeded",
          Clients: [
            {
              ClientId: "seedkeysclient0000000000001",
              ClientName: "c",
              ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            },
          ],
          Users: [{ Username: "bob", Password: "Passw0rd!", Attributes: { email: "bob@example.com" } }],
        },
      ],
    };
    const twin = await createApp({ logLevel: "silent", seed });
    const signInBob = async () => {
      const res = await call(twin, "InitiateAuth", {
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: "seedkeysclient0000000000001",
        AuthParameters: { USERNAME: "bob", PASSWORD: "Passw0rd!" },
      });
      expect(res.status).toBe(200);
      return (res.body.AuthenticationResult as { AccessToken: string }).AccessToken;
    };
    const before = await signInBob();
    expect((await call(twin, "GetUser", { AccessToken: before })).status).toBe(200);
    await twin.reset();
    const after = await signInBob();
    expect((await call(twin, "GetUser", { AccessToken: after })).status).toBe(200);
    const stale = await call(twin, "GetUser", { AccessToken: before });
    expect(stale.body).toMatchObject({ __type: "NotAuthorizedException", message: "Invalid Access Token" });
  });
});
