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

/** The scheme and host the request reached the emulator by (`http://127.0.0.1:9229`). */
export function baseUrlOf(c: Context): string {
  // The request URL starts with the scheme the server was reached by; parsing it (new URL)
  // would cost more than most operations, so only a request without a Host header pays that.
  const host = requestHeader(c, "host");
  const url = c.req.url;
  if (host) return `${url.startsWith("https:") ? "https:" : "http:"}//${host}`;
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}
