// Reading request headers without building a web Headers object: under @hono/node-server the
// Node request is at hand (c.env.incoming) and its headers object is cheaper than the Headers
// that c.req.header() makes @hono/node-server construct (docs/decisions/0010-hot-paths.md).

import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/** A request header (name in lower case), as Headers.get answers it; undefined when absent. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming?.headers === undefined) return c.req.header(name) ?? undefined;
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * The caller's address, as Cognito records it (a device's `last_ip_used`): the remote address of
 * the connection under @hono/node-server, an IPv4 peer on a dual-stack socket without its
 * `::ffff:` prefix. Undefined in-process (`app.request()` has no connection).
 */
export function sourceIpOf(c: Context): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const address = incoming?.socket?.remoteAddress;
  if (!address) return undefined;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
