// The HTTP ceiling: the emulator's own stack (Hono on @hono/node-server) doing nothing but read
// the JSON body and answer a small JSON document. Started by bench/run.ts with `--port N`.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
const app = new Hono();
app.post("/", async (c) => {
  await c.req.text();
  return c.json({ hello: "world" });
});
serve({ fetch: app.fetch, hostname: "127.0.0.1", port });
