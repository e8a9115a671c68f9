// USER_SRP_AUTH through SDK v3, with the client half computed by test-support/srp-client.ts's
// SrpClient (amazon-cognito-identity-js's math with OpenSSL exponentiation, proven equal to the
// library's AuthenticationHelper in scenarios/srp.test.ts): the PASSWORD_VERIFIER challenge, the
// checks of the answer, lockout, unknown users, client secrets, the admin flow and what follows.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  claimsOf,
  createClient,
  createPool,
  createUser,
  PASSWORD,
  secretHash,
  signIn,
} from "../../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../../test-support/fixtures.js";
import { libraryTimestamp, SrpClient, srpSignIn, srpTimestamp } from "../../../test-support/srp-client.js";
import { N } from "../../crypto/srp.js";
import { cloneUser } from "../users/records.js";

const SRP_FLOWS = [
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
] as const;

// The file's pool, a client allowing SRP and user "alice" (test-support/fixtures.ts), and the
// two halves of the exchange with them: `start` (InitiateAuth) and `respond`.
const it = authTest
  .extend("clientInput", { scope: "file" }, { ExplicitAuthFlows: [...SRP_FLOWS] })
  .extend("start", { scope: "file" }, ({ poolId, clientId }) => {
    /** InitiateAuth USER_SRP_AUTH only: the client and the challenge it got. */
    return async (
      cognito: CognitoIdentityProviderClient,
      username: string,
      ids = { poolId, clientId },
      extra: Record<string, string> = {},
    ) => {
      const client = new SrpClient(ids.poolId);
      const out = await cognito.send(
        new InitiateAuthCommand({
          ClientId: ids.clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: username, SRP_A: client.A, ...extra },
        }),
      );
      return { client, out, params: out.ChallengeParameters! };
    };
  })
  .extend(
    "respond",
    { scope: "file" },
    ({ t, clientId }) =>
      (ChallengeResponses: Record<string, string>, id = clientId) =>
        t.cognito.send(
          new RespondToAuthChallengeCommand({ ClientId: id, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses }),
        ),
  );

async function expectError(p: Promise<unknown>, type: string, message?: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e as { name: string; message: string },
  );
  expect(err, `expected ${type}`).toBeDefined();
  expect(err!.name).toBe(type);
  if (message !== undefined) expect(err!.message).toBe(message);
}

describe("USER_SRP_AUTH with the right password", () => {
  it("answers PASSWORD_VERIFIER (no Session) and then tokens for alice", async ({
    t,
    clientId,
    username,
    start,
    respond,
  }) => {
    const { client, out, params } = await start(t.cognito, username);
    expect(out.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(out.Session).toBeUndefined();
    expect(Object.keys(params).sort()).toEqual(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME", "USER_ID_FOR_SRP"]);
    expect(params.USERNAME).toBe(username);
    expect(params.USER_ID_FOR_SRP).toBe(username);
    expect(params.SALT).toMatch(/^[0-9a-f]+$/);
    expect(BigInt(`0x${params.SRP_B}`) % N).not.toBe(0n);
    expect(Buffer.from(params.SECRET_BLOCK!, "base64").length).toBeGreaterThanOrEqual(64);

    const done = await respond(client.answer(params, PASSWORD));
    expect(done.ChallengeName).toBeUndefined();
    expect(done.ChallengeParameters).toEqual({});
    const r = done.AuthenticationResult!;
    expect(r).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(claimsOf(r.AccessToken!)).toMatchObject({ username: username, client_id: clientId, token_use: "access" });
    expect(r.RefreshToken).toBeTruthy();
  });

  it("accepts the username in any case", async ({ t, poolId, clientId, username }) => {
    const out = await srpSignIn(t.cognito, { poolId, clientId }, "ALICE", PASSWORD);
    expect(claimsOf(out.AuthenticationResult!.AccessToken!).username).toBe(username);
  });

  it("accepts a TIMESTAMP on the wall clock after the emulator's clock was moved, and one on the emulator's clock", async ({
    t,
    clock,
    poolId,
    clientId,
    username,
  }) => {
    clock.advance(3600);
    const wall = await srpSignIn(t.cognito, { poolId, clientId }, username, PASSWORD, {
      timestamp: libraryTimestamp(),
    });
    expect(wall.AuthenticationResult?.AccessToken).toBeTruthy();
    const twin = await srpSignIn(t.cognito, { poolId, clientId }, username, PASSWORD, {
      timestamp: srpTimestamp(t.twin.services.clock.now()),
    });
    expect(twin.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("answers USER_SRP_AUTH refuses", () => {
  it("a wrong password: Incorrect username or password.", async ({ t, poolId, clientId, username }) => {
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId }, username, "Wrong-Passw0rd!"),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("a second answer with the same secret block (each exchange is single use)", async ({
    t,
    username,
    start,
    respond,
  }) => {
    const { client, params } = await start(t.cognito, username);
    const answer = client.answer(params, PASSWORD);
    await respond(answer);
    await expectError(respond(answer), "NotAuthorizedException", "Incorrect username or password.");
  });

  it("a secret block it never issued, and a signature made for another secret block", async ({
    t,
    username,
    start,
    respond,
  }) => {
    const { client, params } = await start(t.cognito, username);
    const forged = client.answer(
      { ...params, SECRET_BLOCK: Buffer.from("not issued here").toString("base64") },
      PASSWORD,
    );
    await expectError(respond(forged), "NotAuthorizedException", "Incorrect username or password.");
    const other = await start(t.cognito, username);
    const swapped = { ...client.answer(params, PASSWORD), PASSWORD_CLAIM_SECRET_BLOCK: other.params.SECRET_BLOCK! };
    await expectError(respond(swapped), "NotAuthorizedException", "Incorrect username or password.");
  });

  it("a TIMESTAMP that does not parse: InvalidParameterException with Cognito's message", async ({
    t,
    username,
    start,
    respond,
  }) => {
    const { client, params } = await start(t.cognito, username);
    await expectError(
      respond(client.answer(params, PASSWORD, "2024-01-01T00:00:00Z")),
      "InvalidParameterException",
      "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
    );
  });

  it("a zero-padded day or a wrong weekday (the signature is over the canonical form)", async ({
    t,
    username,
    start,
    respond,
  }) => {
    const { client, params } = await start(t.cognito, username);
    // 5 March 2025 was a Wednesday: the library writes "Wed Mar 5 ...".
    await expectError(
      respond(client.answer(params, PASSWORD, "Wed Mar 05 10:00:00 UTC 2025")),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    const b = await start(t.cognito, username);
    const now = new Date();
    const wrongDay = srpTimestamp(now.getTime()).replace(/^\w{3}/, (d) => (d === "Mon" ? "Tue" : "Mon"));
    await expectError(
      respond(b.client.answer(b.params, PASSWORD, wrongDay)),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("a TIMESTAMP more than five minutes away from both clocks", async ({ t, username, start, respond }) => {
    const { client, params } = await start(t.cognito, username);
    await expectError(
      respond(client.answer(params, PASSWORD, srpTimestamp(Date.now() - 10 * 60_000))),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("an answer after the client's AuthSessionValidity (3 minutes)", async ({ t, clock, username, start, respond }) => {
    const { client, params } = await start(t.cognito, username);
    clock.advance(181);
    await expectError(
      respond(client.answer(params, PASSWORD)),
      "NotAuthorizedException",
      "Invalid session for the user, session is expired.",
    );
  });

  it("an SRP_A of 0 mod N, and a missing SRP_A", async ({ t, clientId, username }) => {
    for (const A of ["0", N.toString(16), (2n * N).toString(16)]) {
      await expectError(
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "USER_SRP_AUTH",
            AuthParameters: { USERNAME: username, SRP_A: A },
          }),
        ),
        "InvalidParameterException",
      );
    }
    await expectError(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters: { USERNAME: username },
        }),
      ),
      "InvalidParameterException",
      "Missing required parameter SRP_A",
    );
  });

  it("a client without ALLOW_USER_SRP_AUTH", async ({ t, poolId, username }) => {
    const { clientId: other } = await createClient(t, poolId, { ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"] });
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId: other }, username, PASSWORD),
      "InvalidParameterException",
      "USER_SRP_AUTH flow not enabled for this client",
    );
  });

  it("counts wrong SRP proofs with wrong passwords towards the same lockout", async ({
    t,
    clock,
    poolId,
    clientId,
  }) => {
    await createUser(t, poolId, "locky");
    for (let i = 0; i < 2; i++)
      await expectError(
        signIn(t, clientId, "locky", "Wrong-Passw0rd!"),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    for (let i = 0; i < 2; i++)
      await expectError(
        srpSignIn(t.cognito, { poolId, clientId }, "locky", "Wrong-Passw0rd!"),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId }, "locky", "Wrong-Passw0rd!"),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId }, "locky", PASSWORD),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
    clock.advance(2);
    const ok = await srpSignIn(t.cognito, { poolId, clientId }, "locky", PASSWORD);
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });
});

describe("unknown users", () => {
  it("LEGACY: UserNotFoundException at InitiateAuth", async ({ t, start }) => {
    await expectError(start(t.cognito, "nobody"), "UserNotFoundException", "User does not exist.");
  });

  it("ENABLED: a simulated challenge, stable for the same name, that fails at the verifier step", async ({
    t,
    poolId,
    start,
    respond,
  }) => {
    const { clientId: hiding } = await createClient(t, poolId, {
      ExplicitAuthFlows: [...SRP_FLOWS],
      PreventUserExistenceErrors: "ENABLED",
    });
    const ids = { poolId, clientId: hiding };
    const first = await start(t.cognito, "ghost", ids);
    const second = await start(t.cognito, "ghost", ids);
    const other = await start(t.cognito, "phantom", ids);
    expect(first.out.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(first.params.USER_ID_FOR_SRP).toBe("ghost");
    expect(second.params.SALT).toBe(first.params.SALT);
    expect(second.params.SRP_B).not.toBe(first.params.SRP_B);
    expect(other.params.SALT).not.toBe(first.params.SALT);
    expect(first.params.SALT).toMatch(/^[0-9a-f]{32}$/);
    await expectError(
      respond(first.client.answer(first.params, PASSWORD), hiding),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    // A real user's wrong password looks the same.
    await createUser(t, poolId, "dora");
    await expectError(
      srpSignIn(t.cognito, ids, "dora", "Wrong-Passw0rd!"),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("ENABLED, email as username: the simulated USER_ID_FOR_SRP is a stable UUID like a real one", async ({
    t,
    start,
  }) => {
    const emailPool = await createPool(t, { UsernameAttributes: ["email"] });
    const { clientId: hiding } = await createClient(t, emailPool, {
      ExplicitAuthFlows: [...SRP_FLOWS],
      PreventUserExistenceErrors: "ENABLED",
    });
    const ids = { poolId: emailPool, clientId: hiding };
    const a = await start(t.cognito, "ghost@example.com", ids);
    const b = await start(t.cognito, "ghost@example.com", ids);
    expect(a.params.USER_ID_FOR_SRP).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.params.USER_ID_FOR_SRP).toBe(a.params.USER_ID_FOR_SRP);
    expect(b.params.SALT).toBe(a.params.SALT);
  });
});

describe("pools, clients and flows around SRP", () => {
  it("email as username: USER_ID_FOR_SRP is the generated username, and the proof uses it", async ({ t, start }) => {
    const emailPool = await createPool(t, { UsernameAttributes: ["email"] });
    const { clientId: c } = await createClient(t, emailPool, { ExplicitAuthFlows: [...SRP_FLOWS] });
    const signUp = await t.cognito.send(
      new SignUpCommand({
        ClientId: c,
        Username: "erin@example.com",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "erin@example.com" }],
      }),
    );
    const { store } = t.twin.services;
    const user = store.getUserBySub(emailPool, signUp.UserSub!)!;
    store.putUser({ ...cloneUser(user), status: "CONFIRMED" });
    const { params } = await start(t.cognito, "erin@example.com", { poolId: emailPool, clientId: c });
    expect(params.USER_ID_FOR_SRP).toBe(user.username);
    expect(params.USER_ID_FOR_SRP).not.toBe("erin@example.com");
    const out = await srpSignIn(t.cognito, { poolId: emailPool, clientId: c }, "erin@example.com", PASSWORD);
    expect(claimsOf(out.AuthenticationResult!.IdToken!).email).toBe("erin@example.com");
  });

  it("a client with a secret: SECRET_HASH at InitiateAuth and in the answer", async ({
    t,
    poolId,
    username,
    respond,
  }) => {
    const { clientId: c, clientSecret } = await createClient(t, poolId, {
      ExplicitAuthFlows: [...SRP_FLOWS],
      GenerateSecret: true,
    });
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId: c }, username, PASSWORD),
      "NotAuthorizedException",
      `Client ${c} is configured with secret but SECRET_HASH was not received`,
    );
    const client = new SrpClient(poolId);
    const started = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: c,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: username, SRP_A: client.A, SECRET_HASH: secretHash(clientSecret!, username, c) },
      }),
    );
    const answer = client.answer(started.ChallengeParameters!, PASSWORD);
    await expectError(
      respond({ ...answer, SECRET_HASH: secretHash(clientSecret!, "mallory", c) }, c),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${c}`,
    );
    const ok = await srpSignIn(t.cognito, { poolId, clientId: c }, username, PASSWORD, { clientSecret });
    expect(ok.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("AdminInitiateAuth USER_SRP_AUTH with AdminRespondToAuthChallenge", async ({ t, poolId, clientId, username }) => {
    const out = await srpSignIn(t.cognito, { poolId, clientId }, username, PASSWORD, { admin: true });
    expect(claimsOf(out.AuthenticationResult!.AccessToken!).username).toBe(username);
  });

  it("a temporary password: PASSWORD_VERIFIER, then NEW_PASSWORD_REQUIRED with a Session", async ({
    t,
    poolId,
    clientId,
  }) => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "tempo",
        TemporaryPassword: "Temp-Passw0rd!",
        MessageAction: "SUPPRESS",
      }),
    );
    const out = await srpSignIn(t.cognito, { poolId, clientId }, "tempo", "Temp-Passw0rd!");
    expect(out.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect(out.Session).toBeTruthy();
    expect(out.ChallengeParameters?.USER_ID_FOR_SRP).toBe("tempo");
    const done = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: out.Session,
        ChallengeResponses: { USERNAME: "tempo", NEW_PASSWORD: "Brand-New-Passw0rd!" },
      }),
    );
    expect(done.AuthenticationResult?.AccessToken).toBeTruthy();
    const again = await srpSignIn(t.cognito, { poolId, clientId }, "tempo", "Brand-New-Passw0rd!");
    expect(again.AuthenticationResult?.AccessToken).toBeTruthy();
    expect((await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "tempo" }))).UserStatus).toBe(
      "CONFIRMED",
    );
  });

  it("an unconfirmed user proves the password and is then told UserNotConfirmedException", async ({
    t,
    poolId,
    clientId,
  }) => {
    await t.cognito.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "newbie",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "newbie@example.com" }],
      }),
    );
    await expectError(
      srpSignIn(t.cognito, { poolId, clientId }, "newbie", PASSWORD),
      "UserNotConfirmedException",
      "User is not confirmed.",
    );
  });
});
