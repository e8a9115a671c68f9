// Setup file of the `unit` vitest project (vitest.config.ts): unit tests run in process, so a
// test there that opens a port fails with where it belongs instead of quietly making the quick
// loop slow. Restored after each file, since workers are shared with the other projects.
import { Server } from "node:net";
import { afterAll, beforeAll } from "vitest";

const listen = Server.prototype.listen;

beforeAll(() => {
  Server.prototype.listen = function refuse(this: Server): never {
    throw new Error(
      "a unit test opened a port: list this file under INTEGRATION in vitest.config.ts (or SLOW if it starts another process)",
    );
  } as typeof listen;
});

afterAll(() => {
  Server.prototype.listen = listen;
});
