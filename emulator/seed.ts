// The --config file: pools, their domains and resource servers, clients, groups and users created
// at start with fixed ids, so test suites can hard-code them. Each entry goes through the same
// operation code as the API.

import type { OperationContext, Services } from "./context.js";
import { CognitoError, errors } from "./core/errors.js";
import { model, type OperationName } from "./model/index.js";
import { type CreateUserPoolInput, createPool } from "./operations/create-user-pool.js";
import { createClient } from "./operations/create-user-pool-client.js";
import type { Registry } from "./operations/types.js";
import { ModelValidator } from "./protocol/validate.js";
import { describeSeedProblems, seedProblems } from "./seed-check.js";
import type { SeedDomain, SeedFile, SeedPool } from "./seed-file.js";

export type {
  SeedDomain,
  SeedFile,
  SeedIdentityProvider,
  SeedPool,
  SeedResourceServer,
  SeedUser,
} from "./seed-file.js";

/** Thrown when the seed cannot be applied; says which entry. */
export class SeedError extends Error {
  override readonly name = "SeedError";
}

/** What a seed created, for the command's ready line. */
export interface SeedSummary {
  pools: number;
  clients: number;
  users: number;
}

/**
 * Refuses a seed the API would refuse entry by entry, or that has keys the seed file does not
 * define (seed-check.ts): a SeedError naming every problem's entry, before anything is created.
 */
export function checkSeed(seed: unknown): void {
  const problems = seedProblems(seed);
  if (problems.length > 0) throw new SeedError(describeSeedProblems(problems));
}

const validator = new ModelValidator(model);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The domains a seeded pool declares, as CreateUserPoolDomain requests: `Domain` (a prefix, or
 * the request itself) and `CustomDomain` (a request with CustomDomainConfig).
 */
function seedDomains(pool: SeedPool, where: string): SeedDomain[] {
  const out: SeedDomain[] = [];
  const { Domain, CustomDomain } = pool as { Domain?: unknown; CustomDomain?: unknown };
  if (Domain !== undefined) {
    if (typeof Domain === "string") out.push({ Domain });
    else if (isObject(Domain) && typeof Domain.Domain === "string") out.push(Domain as SeedDomain);
    else
      throw new SeedError(
        `${where}: Domain must be a prefix ("myapp") or a CreateUserPoolDomain request without UserPoolId ({"Domain": "auth.example.com", "CustomDomainConfig": {...}})`,
      );
  }
  if (CustomDomain !== undefined) {
    if (
      !isObject(CustomDomain) ||
      typeof CustomDomain.Domain !== "string" ||
      !isObject(CustomDomain.CustomDomainConfig)
    )
      throw new SeedError(
        `${where}: CustomDomain must be {"Domain": "auth.example.com", "CustomDomainConfig": {"CertificateArn": "..."}}`,
      );
    out.push(CustomDomain as SeedDomain);
  }
  return out;
}

/** A list member of a seeded pool (`Clients`, `ResourceServers`, ...): absent is empty. */
function listOf(value: unknown, where: string, name: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SeedError(`${where}: ${name} must be a list`);
  return value;
}

/** Creates everything in the seed (checked first, checkSeed), through the registered operations. */
export async function applySeed(services: Services, registry: Registry, seed: SeedFile): Promise<SeedSummary> {
  checkSeed(seed);
  const summary: SeedSummary = { pools: 0, clients: 0, users: 0 };
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
  /** `call`, with the input checked against the model first, as the API's front door checks it. */
  const checkedCall = (name: OperationName, input: Record<string, unknown>, where: string): Promise<unknown> => {
    const result = validator.validate(model.operations[name].input, input);
    if (result.ok) return call(name, input, where);
    return seedCall(where, () => {
      throw errors.validation(result.kind, result.message);
    });
  };
  if (seed.UserPools !== undefined && !Array.isArray(seed.UserPools)) throw new SeedError("UserPools must be a list");
  for (const [i, pool] of (seed.UserPools ?? []).entries()) {
    const where = `UserPools[${i}] (${String(pool.Id)})`;
    if (typeof pool.Id !== "string" || !/^[\w-]+_[0-9a-zA-Z]+$/.test(pool.Id))
      throw new SeedError(`${where}: Id must look like us-east-1_AbCdEf123`);
    const {
      Clients,
      Groups,
      Users,
      Domain: _d,
      CustomDomain: _c,
      ResourceServers,
      IdentityProviders,
      ...poolInput
    } = pool;
    const domains = seedDomains(pool, where);
    const servers = listOf(ResourceServers, where, "ResourceServers");
    const providers = listOf(IdentityProviders, where, "IdentityProviders");
    // Pools and clients go through the operations' own create functions: the registered
    // operations drop the seed-only Id/ClientId/ClientSecret, as Cognito chooses those itself.
    await seedCall(where, () => createPool(poolInput as CreateUserPoolInput, ctx));
    // Resource servers and domains first: the clients' OAuth settings are checked against them.
    for (const [j, server] of servers.entries()) {
      const w = `${where} resource server ${isObject(server) ? String(server.Identifier) : `[${j}]`}`;
      if (!isObject(server)) throw new SeedError(`${w}: must be an object with Identifier, Name and Scopes`);
      await checkedCall("CreateResourceServer", { ...server, UserPoolId: pool.Id }, w);
    }
    // Identity providers before the clients too: SupportedIdentityProviders must name them.
    for (const [j, provider] of providers.entries()) {
      const w = `${where} identity provider ${isObject(provider) ? String(provider.ProviderName) : `[${j}]`}`;
      if (!isObject(provider))
        throw new SeedError(`${w}: must be an object with ProviderName, ProviderType and ProviderDetails`);
      await checkedCall("CreateIdentityProvider", { ...provider, UserPoolId: pool.Id }, w);
    }
    for (const domain of domains)
      await checkedCall("CreateUserPoolDomain", { ...domain, UserPoolId: pool.Id }, `${where} domain ${domain.Domain}`);
    summary.pools += 1;
    for (const client of Clients ?? []) {
      await seedCall(`${where} client ${client.ClientName}`, () =>
        createClient({ ...client, UserPoolId: pool.Id }, ctx),
      );
      summary.clients += 1;
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
      summary.users += 1;
    }
  }
  return summary;
}
