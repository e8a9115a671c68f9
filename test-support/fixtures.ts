// Vitest fixtures (test.extend) for tests through a real server and SDK v3: a running emulator
// whose time stands still, a pool, an app client and a confirmed user. Each is made once per
// file, the first time a test asks for it (by naming it in its context), and the emulator is
// closed after the file. After every test the clock goes back to where it stood, so a test
// moves time as it likes and never undoes it.
//
//   import { authTest as it, describe, expect } from "../../test-support/fixtures.js";
//   it("refuses an expired token", async ({ t, clock, clientId, username }) => {
//     const { AccessToken } = await signIn(t, clientId, username);
//     clock.advance(3600); // the token's hour is over, to the second
//   });
//
// A file changes what is made by overriding an input (fixtures are resolved by name):
//   const it = authTest.extend("poolInput", { scope: "file" }, { UsernameAttributes: ["email"] });
import type { CreateUserPoolClientRequest, CreateUserPoolRequest } from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, test as base, beforeEach } from "vitest";
import type { CreateAppOptions, TwinApp } from "../emulator/app.js";
import type { TwinConfig } from "../emulator/config.js";
import { ManualClock } from "../emulator/core/clock.js";
import { createClient, createPool, createUser } from "./auth-fixtures.js";
import { startTwin } from "./twin.js";

export { describe, expect } from "vitest";

/** A whole second, so that token times (epoch seconds) and the clock agree exactly. */
const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The fixtures, with the pool, client and user made once per file (`scope` "file") or afresh
 * for every test ("test"). The emulator and its clock are the file's either way.
 */
function twinTest(scope: "file" | "test") {
  // Typed as file-scoped: what the types allow (a pool in beforeAll) holds for both uses.
  const pooled = { scope } as { scope: "file" };
  return (
    base
      /** Settings of the file's emulator (default: the defaults). */
      .extend("twinConfig", { scope: "file" }, {} as Partial<TwinConfig>)
      /** The emulator's base clock: the time the file started, until a test moves it. */
      .extend("clock", { scope: "file" }, () => new ManualClock(wholeSecond(Date.now())))
      /** The file's emulator on 127.0.0.1 with an SDK v3 client (test-support/twin.ts). */
      .extend("t", { scope: "file" }, async ({ twinConfig, clock }, { onCleanup }) => {
        const options: CreateAppOptions = { clock };
        const t = await startTwin(twinConfig, options);
        onCleanup(() => t.close());
        return t;
      })
      /** What the pool is created with, on top of createPool's defaults (email auto-verified). */
      .extend("poolInput", { scope: "file" }, {} as Partial<CreateUserPoolRequest>)
      /** A pool of the emulator. */
      .extend("poolId", pooled, ({ t, poolInput }) => createPool(t, poolInput))
      /** What the client is created with, on top of createClient's (password and refresh flows). */
      .extend("clientInput", { scope: "file" }, {} as Partial<CreateUserPoolClientRequest>)
      /** An app client of the pool, without a secret. */
      .extend("clientId", pooled, async ({ t, poolId, clientInput }) => {
        return (await createClient(t, poolId, clientInput)).clientId;
      })
      /** A CONFIRMED user "alice" of the pool with auth-fixtures' PASSWORD and a verified email. */
      .extend("username", pooled, async ({ t, poolId }) => {
        await createUser(t, poolId, "alice");
        return "alice";
      })
      /** Puts the clock back after each test: its base time, and no offset. */
      .extend("clockRestored", { auto: true }, ({ t, clock }, { onCleanup }) => {
        const start = clock.now();
        onCleanup(() => {
          clock.set(start);
          t.twin.services.clock.reset();
        });
        return true;
      })
  );
}

/** The emulator, a pool, a client and a user, each made once for the file. */
export const authTest = twinTest("file");

/**
 * The same, with a pool, client and user of its own for every test: for files whose tests
 * delete, disable or lock out what they are given.
 */
export const freshPoolTest = twinTest("test");

/**
 * The fixtures' clock for a file that starts its emulator itself (in beforeAll, with helpers
 * that close over it): pass the clock to `startTwin(config, { clock })` or `createApp`; after
 * each test it goes back to where it stood, with the emulator's offset (`getTwin`) cleared.
 */
export function fileClock(getTwin: () => TwinApp | undefined): ManualClock {
  const clock = new ManualClock(wholeSecond(Date.now()));
  let start = clock.now();
  beforeEach(() => {
    start = clock.now();
  });
  afterEach(() => {
    clock.set(start);
    getTwin()?.services.clock.reset();
  });
  return clock;
}
