// NEW_PASSWORD_REQUIRED through RespondToAuthChallenge and AdminRespondToAuthChallenge.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool, secretHash } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";

const TEMP = "Temp-passw0rd";
const NEW = "Brand-new-passw0rd";

let n = 0;

// The file's pool (a required name, passwords of 12 or more) and client
// (test-support/fixtures.ts); `challenged` opens NEW_PASSWORD_REQUIRED for a new admin-created
// user, and `respond` answers it.
const it = authTest
  .extend(
    "poolInput",
    { scope: "file" },
    {
      Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
      Policies: { PasswordPolicy: { MinimumLength: 12 } },
    },
  )
  .extend("challenged", { scope: "file" }, ({ t, poolId, clientId }) => {
    /** An admin-created user, signed in with the temporary password: the challenge's session. */
    return async (
      opts: { client?: string; secret?: string } = {},
    ): Promise<{ username: string; session: string; parameters: Record<string, string> }> => {
      const username = `newbie${++n}`;
      await t.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: username,
          TemporaryPassword: TEMP,
          MessageAction: "SUPPRESS",
          UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
        }),
      );
      const id = opts.client ?? clientId;
      const out = await t.cognito.send(
        new InitiateAuthCommand({
          ClientId: id,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: {
            USERNAME: username,
            PASSWORD: TEMP,
            ...(opts.secret ? { SECRET_HASH: secretHash(opts.secret, username, id) } : {}),
          },
        }),
      );
      expect(out.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
      return { username, session: out.Session!, parameters: out.ChallengeParameters! };
    };
  })
  .extend(
    "respond",
    { scope: "file" },
    ({ t, clientId }) =>
      (input: Partial<RespondToAuthChallengeCommandInput>) =>
        t.cognito.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: "NEW_PASSWORD_REQUIRED",
            ...input,
          } as RespondToAuthChallengeCommandInput),
        ),
  );

describe("RespondToAuthChallenge NEW_PASSWORD_REQUIRED", () => {
  it("lists the required attributes the user lacks in the challenge parameters", async ({ challenged }) => {
    const { username, parameters } = await challenged();
    expect(parameters.USER_ID_FOR_SRP).toBe(username);
    expect(JSON.parse(parameters.requiredAttributes!)).toEqual(["userAttributes.name"]);
    expect(JSON.parse(parameters.userAttributes!)).toMatchObject({ email: `${username}@example.com` });
  });

  it("sets the password and attributes, confirms the user, and answers tokens", async ({
    t,
    poolId,
    clientId,
    challenged,
    respond,
  }) => {
    const { username, session } = await challenged();
    const out = await respond({
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "New Bie" },
    });
    expect(out.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(out.ChallengeName).toBeUndefined();
    const me = await t.cognito.send(new GetUserCommand({ AccessToken: out.AuthenticationResult!.AccessToken! }));
    expect(me.UserAttributes).toContainEqual({ Name: "name", Value: "New Bie" });
    const admin = await t.cognito
      .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }))
      .catch(() => undefined);
    // AdminGetUser belongs to another part of the emulator; when present it must agree.
    if (admin) expect(admin.UserStatus).toBe("CONFIRMED");
    expect(t.twin.services.store.getUser(poolId, username)?.status).toBe("CONFIRMED");
    // The new password signs in; the temporary one no longer does.
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: NEW },
        }),
      ),
    ).resolves.toHaveProperty("AuthenticationResult");
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: TEMP },
        }),
      ),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
  });

  it("is single use", async ({ challenged, respond }) => {
    const { username, session } = await challenged();
    await respond({
      Session: session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" },
    });
    await expect(
      respond({
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" },
      }),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
  });

  it("expires after the client's AuthSessionValidity", async ({ t, clock, poolId, challenged, respond }) => {
    const { clientId: quick } = await createClient(t, poolId, { AuthSessionValidity: 3 });
    const { username, session } = await challenged({ client: quick });
    clock.advance(3 * 60 + 1);
    await expect(
      respond({
        ClientId: quick,
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" },
      }),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user, session is expired.",
    });
  });

  it("refuses a password the policy rejects, and lets the user try again with the same session", async ({
    challenged,
    respond,
  }) => {
    const { username, session } = await challenged();
    await expect(
      respond({
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: "Short-1!", "userAttributes.name": "X" },
      }),
    ).rejects.toMatchObject({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password not long enough",
    });
    await expect(
      respond({
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" },
      }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("refuses a missing required attribute", async ({ challenged, respond }) => {
    const { username, session } = await challenged();
    await expect(
      respond({ Session: session, ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW } }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Invalid attributes given, name is missing",
    });
  });

  it("refuses missing NEW_PASSWORD or USERNAME, a USERNAME of someone else, and a bogus session", async ({
    challenged,
    respond,
  }) => {
    const { username, session } = await challenged();
    await expect(respond({ Session: session, ChallengeResponses: { USERNAME: username } })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter NEW_PASSWORD",
    });
    await expect(respond({ Session: session, ChallengeResponses: { NEW_PASSWORD: NEW } })).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Missing required parameter USERNAME",
    });
    await expect(
      respond({ Session: session, ChallengeResponses: { USERNAME: "someone-else", NEW_PASSWORD: NEW } }),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
    await expect(
      respond({ Session: "x".repeat(40), ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW } }),
    ).rejects.toMatchObject({ name: "NotAuthorizedException", message: "Invalid session for the user." });
  });

  it("refuses a session answered through another client", async ({ t, poolId, challenged, respond }) => {
    const { username, session } = await challenged();
    const { clientId: other } = await createClient(t, poolId);
    await expect(
      respond({
        ClientId: other,
        Session: session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" },
      }),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });
  });

  it("checks SECRET_HASH for a client with a secret", async ({ t, poolId, challenged, respond }) => {
    const { clientId: sc, clientSecret } = await createClient(t, poolId, { GenerateSecret: true });
    const { username, session } = await challenged({ client: sc, secret: clientSecret! });
    const base = { ClientId: sc, Session: session };
    await expect(
      respond({ ...base, ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW, "userAttributes.name": "X" } }),
    ).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: `Client ${sc} is configured with secret but SECRET_HASH was not received`,
    });
    await expect(
      respond({
        ...base,
        ChallengeResponses: {
          USERNAME: username,
          NEW_PASSWORD: NEW,
          "userAttributes.name": "X",
          SECRET_HASH: secretHash(clientSecret!, username, sc),
        },
      }),
    ).resolves.toHaveProperty("AuthenticationResult");
  });

  it("answers an honest error for a challenge not implemented yet", async ({ challenged, respond }) => {
    const { username, session } = await challenged();
    await expect(
      respond({
        // ADMIN_NO_SRP_AUTH is in the model's ChallengeNameType but is a flow, never a challenge.
        ChallengeName: "ADMIN_NO_SRP_AUTH",
        Session: session,
        ChallengeResponses: { USERNAME: username },
      }),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "ADMIN_NO_SRP_AUTH challenge is not supported by cognito-twin yet.",
    });
  });
});

describe("AdminRespondToAuthChallenge NEW_PASSWORD_REQUIRED", () => {
  it("completes the challenge opened by AdminInitiateAuth", async ({ t, poolId, clientId }) => {
    const username = `admin-newbie${++n}`;
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: TEMP,
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "name", Value: "Has Name" }],
      }),
    );
    const started = await t.cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: TEMP },
      }),
    );
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect(JSON.parse(started.ChallengeParameters!.requiredAttributes!)).toEqual([]);
    const out = await t.cognito.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: started.Session!,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: NEW },
      }),
    );
    expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    expect(t.twin.services.store.getUser(poolId, username)?.status).toBe("CONFIRMED");
  });

  it("refuses a client of another pool", async ({ t, clientId }) => {
    const other = await createPool(t);
    await expect(
      t.cognito.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: other,
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: "x".repeat(40),
          ChallengeResponses: { USERNAME: "x", NEW_PASSWORD: NEW },
        }),
      ),
    ).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: `User pool client ${clientId} does not exist.`,
    });
  });
});
