// The --config file: pools, clients, groups and users created at start with fixed ids, so test
// suites can hard-code them. Each entry goes through the same operation code as the API.

import type { OperationContext, Services } from "./context.js";
import { CognitoError } from "./core/errors.js";
import type { OperationName } from "./model/index.js";
import { type CreateUserPoolInput, createPool } from "./operations/create-user-pool.js";
import { createClient } from "./operations/create-user-pool-client.js";
import type { Registry } from "./operations/types.js";
import type { SeedFile } from "./seed-file.js";

export type { SeedFile, SeedPool, SeedUser } from "./seed-file.js";

/** Thrown when the seed cannot be applied; says which entry. */
export class SeedError extends Error {
  override readonly name = "SeedError";
}

/** Creates everything in the seed, through the registered operations. */
export async function applySeed(services: Services, registry: Registry, seed: SeedFile): Promise<void> {
  const ctx: OperationContext = {
    ...services,
    region: services.config.region,
    requestId: "seed",
    baseUrl: services.config.publicUrl ?? "http://localhost",
  };
  const seedCall = async <T>(where: string, run: () => T | Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (e instanceof CognitoError) throw new SeedError(`${where}: ${e.type}: ${e.message}`);
      throw e;
    }
  };
  const call = async (name: OperationName, input: unknown, where: string): Promise<unknown> => {
    const op = registry.get(name);
    if (!op) throw new SeedError(`${where}: this version cannot seed it (${name} is not implemented)`);
    return seedCall(where, () => op.handle(input as never, ctx));
  };
  if (seed.UserPools !== undefined && !Array.isArray(seed.UserPools)) throw new SeedError("UserPools must be a list");
  for (const [i, pool] of (seed.UserPools ?? []).entries()) {
    const where = `UserPools[${i}] (${String(pool.Id)})`;
    if (typeof pool.Id !== "string" || !/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.Id))
      throw new SeedError(`${where}: Id must look like us-east-1_AbCdEf123`);
    const { Clients, Groups, Users, ...poolInput } = pool;
    // Pools and clients go through the operations' own create functions: the registered
    // operations drop the seed-only Id/ClientId/ClientSecret, as Cognito chooses those itself.
    await seedCall(where, () => createPool(poolInput as CreateUserPoolInput, ctx));
    for (const client of Clients ?? []) {
      await seedCall(`${where} client ${client.ClientName}`, () =>
        createClient({ ...client, UserPoolId: pool.Id }, ctx),
      );
    }
    for (const group of Groups ?? [])
      await call("CreateGroup", { ...group, UserPoolId: pool.Id }, `${where} group ${group.GroupName}`);
    for (const user of Users ?? []) {
      const w = `${where} user ${user.Username}`;
      const attrs = Object.entries(user.Attributes ?? {}).map(([Name, Value]) => ({ Name, Value }));
      await call(
        "AdminCreateUser",
        { UserPoolId: pool.Id, Username: user.Username, UserAttributes: attrs, MessageAction: "SUPPRESS" },
        w,
      );
      if (user.Password !== undefined) {
        await call(
          "AdminSetUserPassword",
          { UserPoolId: pool.Id, Username: user.Username, Password: user.Password, Permanent: true },
          w,
        );
      }
      for (const g of user.Groups ?? [])
        await call("AdminAddUserToGroup", { UserPoolId: pool.Id, Username: user.Username, GroupName: g }, w);
    }
  }
}
