// The request body limit, without the cost of hono/body-limit on every request: that
// middleware touches `c.req.raw.body`, which makes @hono/node-server build a full web Request
// and stream the body through it (docs/decisions/0010-hot-paths.md). A body that declares its
// length is checked by the header alone, as hono/body-limit itself does, and then read straight
// from the socket; only a chunked body (no Content-Length) goes through hono/body-limit.
import type { Context, MiddlewareHandler, Next } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { requestHeader } from "../protocol/headers.js";

/** Same options as hono/body-limit's. */
export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

/** Refuses bodies over `maxSize` bytes through `onError`. */
export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  const streaming = honoBodyLimit(options);
  return async (c: Context, next: Next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD") return next();
    const length = requestHeader(c, "content-length");
    if (length !== undefined && requestHeader(c, "transfer-encoding") === undefined) {
      if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
      return next();
    }
    return streaming(c, next);
  };
}
