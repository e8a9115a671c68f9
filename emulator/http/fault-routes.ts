// The test control of fault rules (docs/faults.md): GET /_twin/faults lists the rules with how
// often each fired (and the quota mode), POST adds one rule or a list of them (all or none),
// DELETE removes one or all. A rule that cannot be used is refused with 400 naming its field.
import type { Context, Hono } from "hono";
import type { Services } from "../context.js";
import { FaultRuleError } from "../services/faults.js";

const USAGE =
  'Body must be a fault rule like {"operation": "InitiateAuth", "action": "throttle", "count": 2}, or a list of them';

/** Mounts /_twin/faults and /_twin/faults/:id. */
export function faultRoutes(app: Hono, services: Services): void {
  const { faults } = services;

  app.get("/_twin/faults", (c) => c.json(listing(services)));

  app.get("/_twin/faults/:id", (c) => {
    const rule = faults.get(c.req.param("id"));
    return rule ? c.json(rule) : notFound(c);
  });

  // One rule answers 201 with the rule; a list answers 201 with them all, or 400 and sets none.
  app.post("/_twin/faults", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ message: USAGE, field: "" }, 400);
    }
    try {
      if (Array.isArray(body)) return c.json({ faults: faults.addAll(body) }, 201);
      return c.json(faults.add(body), 201);
    } catch (e) {
      if (e instanceof FaultRuleError) return c.json({ message: e.message, field: e.field }, 400);
      throw e;
    }
  });

  app.delete("/_twin/faults", (c) => c.json({ faults: [], deleted: faults.clear() }));

  app.delete("/_twin/faults/:id", (c) => (faults.remove(c.req.param("id")) ? c.json({ deleted: 1 }) : notFound(c)));
}

/** The rules, and the quota mode's rates and refusals when it is on. */
function listing(services: Services) {
  const { faults } = services;
  const rates = faults.quotaRates;
  return {
    faults: faults.list(),
    ...(rates ? { quotas: { rates, refused: faults.quotaRefusals() ?? {} } } : {}),
  };
}

function notFound(c: Context): Response {
  return c.json({ message: `No fault rule ${c.req.param("id")}.` }, 404);
}
