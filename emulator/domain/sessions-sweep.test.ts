// Sessions and challenges are dropped once nobody can use them (KEEP_EXPIRED_MS after they
// expire), so a long-running emulator does not keep every sign-in it ever saw; until then they
// answer as before ("has expired", "has been revoked", "session is expired").
import {
  AdminCreateUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { vi } from "vitest";
import { createUser, PASSWORD, signIn } from "../../test-support/auth-fixtures.js";
import { authTest, describe, expect } from "../../test-support/fixtures.js";
import { assertStoreInvariants } from "../../test-support/store-invariants.js";
import { createApp } from "../app.js";
import { ManualClock } from "../core/clock.js";
import type { Change } from "../store/store.js";
import { KEEP_EXPIRED_MS, sweepExpired } from "./sessions.js";

// The file's pool and client (test-support/fixtures.ts) with the users sam and sue, and
// REFRESH_TOKEN_AUTH with the client.
const it = authTest
  .extend("people", { scope: "file", auto: true }, async ({ t, poolId }) => {
    for (const u of ["sam", "sue"]) await createUser(t, poolId, u);
    return true;
  })
  .extend(
    "refresh",
    { scope: "file" },
    ({ t, clientId }) =>
      (token: string) =>
        t.cognito.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            AuthParameters: { REFRESH_TOKEN: token },
          }),
        ),
  );

describe("sweepExpired", () => {
  it("keeps expired sessions and challenges for a while, then drops them", async ({
    t,
    clock,
    poolId,
    clientId,
    refresh,
  }) => {
    const store = t.twin.services.store;
    const sam = await signIn(t, clientId, "sam");
    const sue = await signIn(t, clientId, "sue");
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: sue.AccessToken }));
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "tom",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    const challenge = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tom", PASSWORD },
      }),
    );
    const answer = () =>
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: challenge.Session!,
          ChallengeResponses: { USERNAME: "tom", NEW_PASSWORD: PASSWORD },
        }),
      );
    const sessionsBefore = [...store.entries()].filter((e) => e.table === "sessions").length;
    // Just expired: still there, with the messages that say so.
    clock.advance(30 * 86400 + 1);
    expect(sweepExpired(t.twin.services)).toEqual({ sessions: 0, challenges: 1 });
    await expect(refresh(sam.RefreshToken)).rejects.toMatchObject({ message: "Refresh Token has expired" });
    await expect(refresh(sue.RefreshToken)).rejects.toMatchObject({ message: "Refresh Token has been revoked" });
    await expect(answer()).rejects.toMatchObject({
      name: "NotAuthorizedException",
      message: "Invalid session for the user.",
    });

    clock.advance(KEEP_EXPIRED_MS.sessions / 1000);
    const swept = sweepExpired(t.twin.services);
    expect(swept.sessions).toBe(sessionsBefore);
    expect([...store.entries()].filter((e) => e.table === "sessions" || e.table === "challenges")).toEqual([]);
    await expect(refresh(sam.RefreshToken)).rejects.toMatchObject({ message: "Invalid Refresh Token." });
    assertStoreInvariants(store);
  });

  it("keeps a challenge answering 'session is expired' for an hour after it expired", async ({
    t,
    clock,
    poolId,
    clientId,
  }) => {
    await t.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "tia",
        TemporaryPassword: PASSWORD,
        MessageAction: "SUPPRESS",
      }),
    );
    const challenge = await t.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tia", PASSWORD },
      }),
    );
    clock.advance(10 * 60);
    expect(sweepExpired(t.twin.services).challenges).toBe(0);
    await expect(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: challenge.Session!,
          ChallengeResponses: { USERNAME: "tia", NEW_PASSWORD: PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ message: "Invalid session for the user, session is expired." });
  });

  it("tells a journal about every record it drops", async () => {
    const twin = await createApp({ logLevel: "silent" });
    try {
      const store = twin.services.store;
      const changes: Change[] = [];
      store.onChange((c) => changes.push(c));
      store.putPool({
        id: "us-east-1_Sweep",
        pool: { Id: "us-east-1_Sweep" },
        tags: {},
        mfa: { MfaConfiguration: "OFF" },
      });
      store.putClient({ poolId: "us-east-1_Sweep", client: { ClientId: "c1", UserPoolId: "us-east-1_Sweep" } });
      const base = { poolId: "us-east-1_Sweep", clientId: "c1", username: "u", sub: "s", authTime: 0, revoked: false };
      store.putSession({
        ...base,
        originJti: "old",
        refreshToken: "r-old",
        refreshExpiresAt: 1_000,
        retired: [{ token: "r-older", until: 500 }],
      });
      store.putSession({ ...base, originJti: "new", refreshToken: "r-new", refreshExpiresAt: 10_000 });
      store.putChallenge({
        session: "ch",
        poolId: "us-east-1_Sweep",
        clientId: "c1",
        username: "u",
        challenge: "X",
        expiresAt: 1_000,
        data: {},
      });
      expect(store.purgeExpired({ sessionsExpiredBefore: 5_000, challengesExpiredBefore: 5_000 })).toEqual({
        sessions: 1,
        challenges: 1,
      });
      expect(changes.filter((c) => c.op === "delete")).toEqual([
        { op: "delete", table: "sessions", key: "old" },
        { op: "delete", table: "challenges", key: "ch" },
      ]);
      expect(store.getSessionByRefreshToken("r-older")).toBeUndefined();
      expect(store.getSessionByRefreshToken("r-new")?.originJti).toBe("new");
      expect(store.sessionsOf("us-east-1_Sweep", "s").map((s) => s.originJti)).toEqual(["new"]);
    } finally {
      await twin.close();
    }
  });
});

describe("the sweeper", () => {
  it("runs once a minute in every emulator, and stops when it closes", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const clock = new ManualClock(Date.UTC(2026, 0, 1));
      const twin = await createApp({ logLevel: "silent" }, { clock });
      const store = twin.services.store;
      const purge = vi.spyOn(store, "purgeExpired");
      vi.advanceTimersByTime(60_000);
      expect(purge).toHaveBeenCalledTimes(1);
      // By the emulator's clock, which stands still here.
      expect(purge.mock.calls[0]![0].sessionsExpiredBefore).toBe(clock.now() - KEEP_EXPIRED_MS.sessions);
      await twin.close();
      vi.advanceTimersByTime(120_000);
      expect(purge).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
