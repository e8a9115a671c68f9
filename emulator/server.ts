// Serving a TwinApp over HTTP: used by the CLI, the tests that need a real port, and the image.
import { serve, type ServerType } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import type { TwinApp } from "./app.js";

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
export function listen(twin: TwinApp, opts: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const host = opts.host ?? twin.services.config.host;
  const port = opts.port ?? twin.services.config.port;
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: twin.app.fetch, hostname: host, port }, (info: AddressInfo) => {
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
      });
    } catch (e) {
      reject(e as Error);
      return;
    }
    server.once("error", reject);
  });
}
