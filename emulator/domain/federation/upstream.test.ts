// fetchUpstream: a GET to a provider whose connection ends before any answer (the keep-alive race
// of a socket the provider just closed) is sent once more; a POST never is. Against a real
// socket server that hangs up on the first connection it gets and answers the next.
import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fetchUpstream } from "./upstream.js";

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** A server that destroys its first `drops` connections unanswered, then answers `ok`. */
async function flakyServer(drops: number): Promise<{ url: string; connections: () => number }> {
  let seen = 0;
  server = createServer((socket: Socket) => {
    seen++;
    if (seen <= drops) {
      // Read the request, then hang up without a byte of answer: what a closed keep-alive socket gives.
      socket.once("data", () => socket.destroy());
      return;
    }
    socket.once("data", () =>
      socket.end("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"),
    );
  });
  await new Promise<void>((done) => server!.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/metadata`, connections: () => seen };
}

describe("fetchUpstream", () => {
  it("sends a GET once more when the connection ended before the answer", async () => {
    const s = await flakyServer(1);
    const res = await fetchUpstream(s.url);
    expect([res.status, await res.text()]).toEqual([200, "ok"]);
    expect(s.connections()).toBe(2);
  });

  it("fails a GET whose second try fails too, and never repeats a POST", async () => {
    const twice = await flakyServer(2);
    await expect(fetchUpstream(twice.url)).rejects.toThrow("fetch failed");
    expect(twice.connections()).toBe(2);
    await new Promise<void>((done) => server!.close(() => done()));

    const once = await flakyServer(1);
    await expect(fetchUpstream(once.url, { method: "POST", body: "code=x" })).rejects.toThrow("fetch failed");
    expect(once.connections()).toBe(1);
  });

  it("does not retry what is not a dropped connection", async () => {
    let calls = 0;
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const send = async () => {
      calls++;
      throw refused;
    };
    await expect(fetchUpstream("http://127.0.0.1:1/", {}, send)).rejects.toBe(refused);
    expect(calls).toBe(1);
  });
});
