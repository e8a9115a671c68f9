// Serving a TwinApp over HTTP: used by the CLI, the tests that need a real port, and the image.

import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { type ServerType, serve } from "@hono/node-server";
import type { TwinConfig } from "../config.js";

/** A listening emulator. */
export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on host:port (port 0 picks a free one) and resolves once the socket is bound.
 *
 * @example
 * const twin = await createApp({ logLevel: "silent" });
 * const server = await listen(twin, { port: 0 });
 */
/** What listen serves: the `{ app, services }` that createApp returns. */
export interface Servable {
  readonly app: { fetch(request: Request, env?: unknown): Response | Promise<Response> };
  readonly services: { readonly config: TwinConfig };
}

export function listen(twin: Servable, opts: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const config = twin.services.config;
  const host = opts.host ?? config.host;
  const port = opts.port ?? config.port;
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve(
        { fetch: twin.app.fetch, hostname: host, port, serverOptions: serverOptions(config) },
        (info: AddressInfo) => {
          const shownHost = host.includes(":") ? `[${host}]` : host;
          const url = `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${info.port}`;
          resolve({
            url,
            port: info.port,
            close: () =>
              new Promise<void>((res) => {
                server.close(() => res());
                (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
              }),
          });
        },
      );
    } catch (e) {
      reject(e as Error);
      return;
    }
    server.once("error", reject);
    server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => refuseClient(err, socket, config));
  });
}

/** Node's limits that protect the process from clients, from the config. */
function serverOptions(config: TwinConfig) {
  return {
    maxHeaderSize: config.maxHeaderBytes,
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Node enforces both timeouts on this period (30 s by default, longer than a short timeout).
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(config.headersTimeoutMs / 4))),
  };
}

/**
 * Answers what Node refuses before the app sees a request (a head over --max-header-size, a
 * client too slow for --headers-timeout / --request-timeout, bytes that are not HTTP) in
 * Cognito's error shape, naming the limit, then closes the connection as Node would
 * (docs/decisions/0012-process-limits.md).
 */
function refuseClient(err: NodeJS.ErrnoException, socket: Duplex, config: TwinConfig): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  let status = 400;
  let reason = "Bad Request";
  let type = "SerializationException";
  let message = "The request is not valid HTTP/1.1.";
  if (err.code === "HPE_HEADER_OVERFLOW") {
    [status, reason, type] = [431, "Request Header Fields Too Large", "InvalidParameterException"];
    message = `Request headers exceed the limit of ${config.maxHeaderBytes} bytes.`;
  } else if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
    [status, reason, type] = [408, "Request Timeout", "RequestTimeoutException"];
    message = `The request was not received in time: the headers must arrive within ${config.headersTimeoutMs} ms and the whole request within ${config.requestTimeoutMs} ms.`;
  }
  const body = JSON.stringify({ __type: type, message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: ${randomUUID()}\r\nx-amzn-ErrorType: ${type}:\r\nx-amzn-ErrorMessage: ${message}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
