// User migration with forceAliasCreation is all or nothing (domain/triggers/user-migration.ts):
// the aliases move only together with the new user's creation, after every check, so a refusal
// that comes late (the pool filled up while the migration waited) leaves the other user's
// aliases as they were.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  type AdminGetUserResponse,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { UserMigrationTriggerEvent } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../../../test-support/auth-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import { ManualClock } from "../../core/clock.js";

const FUNCTION = "legacy-directory";
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;
const OLD_PASSWORD = "from-the-old-system";

let t: TestTwin;
beforeAll(async () => {
  // Room for two users: the alias holder and one more.
  t = await startTwin({ maxUsersPerPool: 2 }, { clock: new ManualClock(Date.now()), triggerTimeoutMs: 1000 });
});
afterAll(() => t.close());
afterEach(() => t.twin.triggers.clear());

const attributes = (user: AdminGetUserResponse) =>
  Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name!, a.Value!]));

function signIn(clientId: string, username: string, password: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

describe("user migration with forceAliasCreation", () => {
  it("moves no alias when a later check refuses the new user", async () => {
    const poolId = await createPool(t, { AliasAttributes: ["email"], LambdaConfig: { UserMigration: ARN } });
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "old-ann", { attributes: { email: "ann@example.com", email_verified: "true" } });
    const holder = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "old-ann" }));
    const holderSub = attributes(holder).sub!;

    let answered!: () => void;
    const asked = new Promise<void>((done) => {
      answered = done;
    });
    t.twin.triggers.set(FUNCTION, async (event: UserMigrationTriggerEvent) => {
      Object.assign(event.response, {
        userAttributes: { email: "ann@example.com", email_verified: "true" },
        finalUserStatus: "CONFIRMED",
        messageAction: "SUPPRESS",
        forceAliasCreation: true,
      });
      answered();
      return event;
    });

    // The alias holder is busy with another request (its lock held) while the migration runs, so
    // the migration waits for it after its first checks; meanwhile another user fills the pool.
    let release!: () => void;
    const busy = t.twin.services.locks.run(
      `${poolId}/${holderSub}`,
      () =>
        new Promise<void>((done) => {
          release = done;
        }),
    );
    const migrating = signIn(clientId, "ann", OLD_PASSWORD).then(
      () => undefined,
      (e: Error) => e,
    );
    await asked;
    // The migration hashes the old password and then waits on the holder's lock (real time: the
    // hash runs on the thread pool).
    await new Promise((done) => setTimeout(done, 100));
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "filler",
        MessageAction: "SUPPRESS",
        TemporaryPassword: PASSWORD,
      }),
    );
    release();
    await busy;

    const error = await migrating;
    expect(error).toBeInstanceOf(Error);
    // The pool is full by then: the emulator's limit of users per pool (checkRoomForUser).
    expect(error?.name).toBe("LimitExceededException");
    // Nobody was created, and the holder keeps the verified email it signs in with.
    await expect(
      t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "ann" })),
    ).rejects.toMatchObject({ name: "UserNotFoundException" });
    const after = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "old-ann" }));
    expect(attributes(after)).toMatchObject({ email: "ann@example.com", email_verified: "true" });
    expect(after.UserLastModifiedDate).toEqual(holder.UserLastModifiedDate);
    expect((await signIn(clientId, "ann@example.com", PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("moves the alias with the new user when every check passes", async () => {
    const poolId = await createPool(t, { AliasAttributes: ["email"], LambdaConfig: { UserMigration: ARN } });
    const { clientId } = await createClient(t, poolId);
    await createUser(t, poolId, "old-bea", { attributes: { email: "bea@example.com", email_verified: "true" } });
    t.twin.triggers.set(FUNCTION, async (event: UserMigrationTriggerEvent) => {
      Object.assign(event.response, {
        userAttributes: { email: "bea@example.com", email_verified: "true" },
        finalUserStatus: "CONFIRMED",
        messageAction: "SUPPRESS",
        forceAliasCreation: true,
      });
      return event;
    });
    expect((await signIn(clientId, "bea", OLD_PASSWORD)).AuthenticationResult?.AccessToken).toBeTruthy();
    const old = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "old-bea" }));
    expect(attributes(old).email_verified).toBe("false");
    const moved = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bea@example.com" }));
    expect(moved.Username).toBe("bea");
  });
});
