// The emulator under soak (forked by bench/soak.ts): createApp behind a real socket on
// 127.0.0.1, in its own process so that its memory is not the load generator's. On request it
// answers its memory (after a full GC when started with --expose-gc) and the size of its state.
import { createApp } from "../emulator/app.js";
import { listen } from "../emulator/http/server.js";

/** What the parent asks for. */
export type SoakRequest = { type: "sample" } | { type: "stop" };

/** One memory and state sample. */
export interface SoakSample {
  type: "sample";
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  users: number;
  sessions: number;
  challenges: number;
  inbox: number;
}

const twin = await createApp({ logLevel: "silent", host: "127.0.0.1", port: 0 });
const server = await listen(twin, { host: "127.0.0.1", port: 0 });
process.send!({ type: "ready", url: server.url });

// The parent may die without saying stop (a crash, Ctrl-C); the emulator must not outlive it.
process.on("disconnect", () => process.exit(0));

const MB = 1024 * 1024;
process.on("message", (message: SoakRequest) => {
  if (message.type === "stop") {
    void server
      .close()
      .then(() => twin.close())
      .then(() => process.exit(0));
    return;
  }
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  const counts = { users: 0, sessions: 0, challenges: 0 };
  for (const e of twin.services.store.entries()) {
    if (e.table === "users") counts.users += 1;
    else if (e.table === "sessions") counts.sessions += 1;
    else if (e.table === "challenges") counts.challenges += 1;
  }
  const sample: SoakSample = {
    type: "sample",
    rssMB: mem.rss / MB,
    heapUsedMB: mem.heapUsed / MB,
    externalMB: mem.external / MB,
    ...counts,
    inbox: twin.services.inbox.list().length,
  };
  process.send!(sample);
});
