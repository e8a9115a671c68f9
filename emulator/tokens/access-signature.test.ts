// The remembered signature check: a token verified once skips the RSA operation afterwards, but
// every check that can change its answer still runs on every call.
import {
  AdminDisableUserCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
  GlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { signIn } from "../../test-support/auth-fixtures.js";
import { describe, expect, freshPoolTest as it } from "../../test-support/fixtures.js";
import { call, type TestTwin } from "../../test-support/twin.js";
import { createApp } from "../app.js";
import type { SeedFile } from "../seed.js";

// Every test gets a pool, client and user "alice" of its own: some delete or disable them.
const getUser = (t: TestTwin, token: string) => t.cognito.send(new GetUserCommand({ AccessToken: token }));

async function refusal(t: TestTwin, token: string): Promise<string> {
  const e = await getUser(t, token).then(
    () => undefined,
    (err: Error) => err,
  );
  expect(e).toBeDefined();
  return `${e!.name}: ${e!.message}`;
}

describe("a remembered access token", () => {
  it("answers every call with the same token", async ({ t, clientId, username }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    for (let i = 0; i < 3; i++) expect((await getUser(t, AccessToken)).Username).toBe(username);
  });

  it("is refused once the emulator's clock passes its expiry, and accepted again if the clock goes back", async ({
    t,
    clock,
    clientId,
    username,
  }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    await getUser(t, AccessToken);
    // The clock stands still between these lines, so the hour is exact to the second.
    clock.advance(3600);
    expect(await refusal(t, AccessToken)).toBe("NotAuthorizedException: Access Token has expired");
    clock.advance(-1);
    expect((await getUser(t, AccessToken)).Username).toBe(username);
  });

  it("is refused after sign-out and for a disabled user", async ({ t, poolId, clientId, username }) => {
    const first = await signIn(t, clientId, username);
    await getUser(t, first.AccessToken);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken }));
    expect(await refusal(t, first.AccessToken)).toBe("NotAuthorizedException: Access Token has been revoked");

    const second = await signIn(t, clientId, username);
    await getUser(t, second.AccessToken);
    await t.cognito.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    // Disabling revokes the user's sessions (docs/decisions/0007); either way the token is dead.
    expect(await refusal(t, second.AccessToken)).toMatch(
      /^NotAuthorizedException: (Access Token has been revoked|User is disabled\.)$/,
    );
  });

  it("does not vouch for a different payload under its signature", async ({ t, clientId, username }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    await getUser(t, AccessToken);
    const [h, p, s] = AccessToken.split(".");
    const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, exp: Number(claims.exp) + 86_400 })).toString("base64url")}.${s}`;
    expect(await refusal(t, tampered)).toBe("NotAuthorizedException: Invalid Access Token");
    expect((await getUser(t, AccessToken)).Username).toBe(username);
  });

  it("is refused once its pool is deleted", async ({ t, poolId, clientId, username }) => {
    const { AccessToken } = await signIn(t, clientId, username);
    await getUser(t, AccessToken);
    await t.cognito.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    expect(await refusal(t, AccessToken)).toBe("NotAuthorizedException: Invalid Access Token");
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
