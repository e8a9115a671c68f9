// GET/POST /_twin/state: the whole state as a state document (emulator/persistence/state-document.ts),
// the same format as `cognito-twin export`/`import` and a data directory's snapshot. And
// POST /_twin/recovery/ack: acknowledges that the data directory's state was recovered from
// damage (docs/decisions/0013-recovery.md), so /health stops reporting "degraded".
import type { Hono } from "hono";
import type { Services } from "../context.js";
import { readStateDocument, StateFormatError, stateDocumentOf } from "../persistence/state-document.js";

/** Mounts GET /_twin/state (export), POST /_twin/state (replace everything) and POST /_twin/recovery/ack. */
export function stateRoutes(app: Hono, services: Services): void {
  const { store, keys, durability } = services;

  app.get("/_twin/state", (c) => c.json(stateDocumentOf(store, durability?.status().seq ?? 0)));

  app.post("/_twin/state", async (c) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await c.req.text());
    } catch {
      return c.json({ message: "Body must be a cognito-twin state document (JSON), as GET /_twin/state answers" }, 400);
    }
    let changes: ReturnType<typeof readStateDocument>["changes"];
    try {
      // The whole document is checked, and loaded into a scratch store, before the live state
      // is touched: a bad record answers 400 and leaves the state exactly as it was.
      ({ changes } = readStateDocument(parsed, "request body", { dryRun: true }));
    } catch (e) {
      if (e instanceof StateFormatError) return c.json({ message: e.message }, 400);
      throw e;
    }
    // Through the ordinary write path, so a data directory's journal records the replacement.
    // One synchronous step: no other request sees the state half replaced.
    store.clear();
    keys.forget();
    for (const change of changes) store.apply(change);
    return c.json({ imported: changes.length });
  });

  app.post("/_twin/recovery/ack", async (c) => {
    // A JSON content type, so a web page cannot post it with a plain form (that would need a
    // CORS preflight); the body itself may be empty or {}.
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type))
      return c.json({ message: "POST /_twin/recovery/ack needs Content-Type: application/json (a body of {})" }, 415);
    const text = await c.req.text();
    if (text.trim() !== "") {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return c.json({ message: "Body must be empty or a JSON object like {}" }, 400);
      }
      if (typeof body !== "object" || body === null || Array.isArray(body))
        return c.json({ message: "Body must be empty or a JSON object like {}" }, 400);
    }
    if (!durability)
      return c.json({ message: "This emulator keeps its state in memory (no --data-dir): there is no recovery" }, 400);
    const acknowledged = await durability.acknowledgeRecovery();
    return c.json({ acknowledged, status: durability.status().failure ? "failed" : "ok" });
  });
}
