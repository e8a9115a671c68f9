// Resource servers: the APIs a pool defines custom OAuth scopes for (`<identifier>/<scope>`).
// They live in their pool's record (PoolRecord.resourceServers, by identifier).
import type { ResourceServerScopeType, ResourceServerType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, ResourceServerRecord, StoredPool } from "../store/types.js";

/** A resource server as its pool's stored record holds it. */
export type StoredResourceServer = DeepReadonly<ResourceServerRecord>;

/** The pool's resource server with this identifier, if any. */
export function resourceServerOf(pool: StoredPool, identifier: string): StoredResourceServer | undefined {
  const servers = pool.resourceServers;
  // An own-property test: identifiers such as `constructor` must not find Object's members.
  return servers && Object.hasOwn(servers, identifier) ? servers[identifier] : undefined;
}

/** The resource server, or Cognito's ResourceNotFoundException. */
export function requireResourceServer(pool: StoredPool, identifier: string): StoredResourceServer {
  const server = resourceServerOf(pool, identifier);
  if (!server) throw errors.resourceServerNotFound(identifier);
  return server;
}

/** Every resource server of the pool, in identifier order (the order ListResourceServers pages). */
export function listResourceServers(pool: StoredPool): StoredResourceServer[] {
  return Object.values(pool.resourceServers ?? {}).sort((a, b) =>
    a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0,
  );
}

/** The record for CreateResourceServer / UpdateResourceServer input; a scope name may appear once. */
export function resourceServerRecord(
  identifier: string,
  name: string,
  scopes: readonly ResourceServerScopeType[] | undefined,
): ResourceServerRecord {
  const seen = new Set<string>();
  for (const scope of scopes ?? []) {
    if (seen.has(scope.ScopeName!)) throw errors.duplicateScopeName(scope.ScopeName!);
    seen.add(scope.ScopeName!);
  }
  return {
    identifier,
    name,
    scopes: (scopes ?? []).map((s) => ({ ScopeName: s.ScopeName!, ScopeDescription: s.ScopeDescription! })),
  };
}

/** The pool with `server` added, or replacing the one with its identifier. */
export function poolWithResourceServer(pool: StoredPool, server: StoredResourceServer): StoredPool {
  return { ...pool, resourceServers: { ...pool.resourceServers, [server.identifier]: server } };
}

/** The pool without the resource server `identifier`. */
export function poolWithoutResourceServer(pool: StoredPool, identifier: string): StoredPool {
  const { [identifier]: _gone, ...rest } = pool.resourceServers ?? {};
  const { resourceServers: _old, ...base } = pool;
  return Object.keys(rest).length > 0 ? { ...base, resourceServers: rest } : base;
}

/** The resource server as the resource-server operations answer it. */
export function resourceServerType(poolId: string, server: StoredResourceServer): Wire<ResourceServerType> {
  return {
    UserPoolId: poolId,
    Identifier: server.identifier,
    Name: server.name,
    Scopes: server.scopes.map((s) => ({ ScopeName: s.ScopeName, ScopeDescription: s.ScopeDescription })),
  };
}
