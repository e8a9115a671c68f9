// Which pool a request to the OAuth endpoints and managed login pages is for: a pool's domain is
// reached by its host name (`<prefix>.auth.<region>.amazoncognito.com`, or the custom domain's
// name, mapped to the emulator in /etc/hosts or by a proxy) or under the emulator's own address
// as `/_domain/<prefix, custom name or host name>/...`, which needs no DNS (docs/hosted-ui.md).
// The names themselves are domains.ts's (CreateUserPoolDomain's rules).
import type { Services } from "../../context.js";
import type { StoredPool } from "../../store/types.js";
import { type PoolDomain, poolByDomain, poolByHostname, type StoredDomain } from "../domains.js";

/** The pool and domain a request's Host header names, if any. */
export function domainOfHost(store: Services["store"], host: string): PoolDomain | undefined {
  return poolByHostname(store, host);
}

/** The pool and domain the `/_domain/<name>` segment names: a prefix, a custom name or a host name. */
export function domainOfName(store: Services["store"], name: string): PoolDomain | undefined {
  return poolByDomain(store, name.trim()) ?? poolByHostname(store, name);
}

/** The domain a pool's discovery document names: its prefix domain, else its custom domain. */
export function primaryDomain(pool: Pick<StoredPool, "domains">): StoredDomain | undefined {
  const domains = pool.domains ?? [];
  return domains.find((d) => !d.custom) ?? domains[0];
}
