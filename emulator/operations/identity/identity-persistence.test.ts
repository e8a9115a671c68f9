// Identity pools in a data directory: pools, roles, identities and the OpenID signing key survive
// a restart (journal replay, then a snapshot after compaction), a token signed before verifies
// after, and reset clears them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeIdentityCommand,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetIdentityPoolRolesCommand,
  GetOpenIdTokenCommand,
  ListIdentityPoolsCommand,
} from "@aws-sdk/client-cognito-identity";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, signIn } from "../../../test-support/auth-fixtures.js";
import {
  createIdentityPool,
  identityClient,
  loginsOf,
  providerOf,
  ROLES,
} from "../../../test-support/identity-fixtures.js";
import { startTwin, type TestTwin } from "../../../test-support/twin.js";
import type { Journal } from "../../persistence/journal.js";

let dir: string;
const running: TestTwin[] = [];

async function start(): Promise<TestTwin> {
  const t = await startTwin({ dataDir: dir });
  running.push(t);
  return t;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "twin-identity-"));
});

afterEach(async () => {
  for (const t of running.splice(0)) await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe("identity pools in a data directory", () => {
  it("keep pools, roles, identities and the signing key across restarts; reset clears them", async () => {
    const a = await start();
    const poolId = await createPool(a);
    const { clientId } = await createClient(a, poolId);
    await createUser(a, poolId, "pat");
    const ca = identityClient(a.url);
    const id = await createIdentityPool(ca, { poolId, clientId });
    const { IdToken } = await signIn(a, clientId, "pat");
    const Logins = loginsOf(poolId, IdToken);
    const { IdentityId } = await ca.send(new GetIdCommand({ IdentityPoolId: id, Logins }));
    const { Token } = await ca.send(new GetOpenIdTokenCommand({ IdentityId, Logins }));
    ca.destroy();
    await a.close();
    running.splice(0);

    // First from the journal; that run compacts it, so the second loads the snapshot.
    for (const round of ["journal", "snapshot"]) {
      const b = await start();
      const cb = identityClient(b.url);
      expect((await cb.send(new ListIdentityPoolsCommand({ MaxResults: 10 }))).IdentityPools).toEqual([
        { IdentityPoolId: id, IdentityPoolName: "twin_identities" },
      ]);
      expect((await cb.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: id }))).Roles).toMatchObject({
        authenticated: ROLES.authenticated,
      });
      expect((await cb.send(new DescribeIdentityCommand({ IdentityId }))).Logins).toEqual([providerOf(poolId)]);
      expect((await cb.send(new GetIdCommand({ IdentityPoolId: id, Logins }))).IdentityId).toBe(IdentityId);
      await cb.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins }));
      const jwks = createRemoteJWKSet(new URL(`${b.url}/_identity/.well-known/jwks_uri`));
      await expect(jwtVerify(Token!, jwks, { audience: id })).resolves.toBeTruthy();
      cb.destroy();
      if (round === "journal") await (b.twin.services.durability as Journal).compact();
      await b.close();
      running.splice(0);
    }

    const c = await start();
    await c.twin.reset();
    const cc = identityClient(c.url);
    expect((await cc.send(new ListIdentityPoolsCommand({ MaxResults: 10 }))).IdentityPools).toEqual([]);
    expect((await fetch(`${c.url}/_identity/.well-known/jwks_uri`).then((r) => r.json())) as unknown).toEqual({
      keys: [],
    });
    cc.destroy();
  });
});
