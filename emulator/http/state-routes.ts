// GET/POST /_twin/state: the whole state as a state document (emulator/store/state-document.ts),
// the same format as `cognito-twin export`/`import` and a data directory's snapshot.
import type { Hono } from "hono";
import type { Services } from "../context.js";
import { readStateDocument, StateFormatError, stateDocumentOf } from "../persistence/state-document.js";

/** Mounts GET /_twin/state (export) and POST /_twin/state (replace everything with a document). */
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
    let changes;
    try {
      ({ changes } = readStateDocument(parsed, "request body"));
    } catch (e) {
      if (e instanceof StateFormatError) return c.json({ message: e.message }, 400);
      throw e;
    }
    // Through the ordinary write path, so a data directory's journal records the replacement.
    store.clear();
    keys.forget();
    for (const change of changes) store.apply(change);
    return c.json({ imported: changes.length });
  });
}
