// Test controls for threat protection (docs/threat-protection.md): what a test declares because
// no risk engine or breach corpus runs here (compromised passwords, a user's risk level), and
// the auth events with the FeedbackToken Cognito would have put in its notification emails.
import type { Hono } from "hono";
import type { Services } from "../context.js";
import {
  authEventType,
  compromisedPasswordHash,
  feedbackToken,
  isFeedbackToken,
  setAuthEventFeedback,
} from "../domain/auth-events.js";
import { findUser } from "../domain/users/lookup.js";
import type { StoredPool } from "../store/types.js";

const RISK_LEVELS = new Set(["Low", "Medium", "High"]);

/** The JSON body of a request, or undefined when it is not a JSON object. */
async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<Record<string, unknown> | undefined> {
  try {
    const body = await c.req.json();
    return body !== null && typeof body === "object" && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Mounts /_twin/compromised-passwords, /_twin/risk, /_twin/auth-events and /_twin/auth-event-feedback. */
export function threatRoutes(app: Hono, services: Services): void {
  const { store } = services;
  const poolOf = (id: unknown): StoredPool | undefined => (typeof id === "string" ? store.getPool(id) : undefined);

  // Adds passwords to the pool's compromised-credentials list (kept as SHA-256 hashes).
  app.post("/_twin/compromised-passwords", async (c) => {
    const body = await jsonBody(c);
    const passwords = body?.passwords;
    if (!Array.isArray(passwords) || !passwords.every((p) => typeof p === "string" && p.length > 0)) {
      return c.json({ message: 'Body must be JSON like {"userPoolId": "...", "passwords": ["Password1!"]}' }, 400);
    }
    const pool = poolOf(body?.userPoolId);
    if (!pool) return c.json({ message: `User pool ${String(body?.userPoolId)} does not exist.` }, 404);
    const hashes = new Set(pool.risk?.compromisedPasswords ?? []);
    for (const p of passwords as string[]) hashes.add(compromisedPasswordHash(p));
    store.putPool({ ...pool, risk: { ...pool.risk, compromisedPasswords: [...hashes] } });
    return c.json({ userPoolId: pool.id, compromisedPasswords: hashes.size });
  });

  app.delete("/_twin/compromised-passwords", (c) => {
    const pool = poolOf(c.req.query("userPoolId"));
    if (!pool) return c.json({ message: `User pool ${String(c.req.query("userPoolId"))} does not exist.` }, 404);
    const { compromisedPasswords: _gone, ...risk } = pool.risk ?? {};
    store.putPool({ ...pool, risk });
    return c.json({ userPoolId: pool.id, compromisedPasswords: 0 });
  });

  // The risk level adaptive authentication assesses the user's sign-ins at, until set again
  // (`riskLevel: null`: no risk detected again).
  app.post("/_twin/risk", async (c) => {
    const body = await jsonBody(c);
    const level = body?.riskLevel;
    if (
      typeof body?.username !== "string" ||
      !(level === null || (typeof level === "string" && RISK_LEVELS.has(level)))
    ) {
      return c.json(
        {
          message:
            'Body must be JSON like {"userPoolId": "...", "username": "...", "riskLevel": "High"} (Low, Medium, High or null)',
        },
        400,
      );
    }
    const pool = poolOf(body.userPoolId);
    if (!pool) return c.json({ message: `User pool ${String(body.userPoolId)} does not exist.` }, 404);
    const user = findUser(services, pool, body.username);
    if (!user) return c.json({ message: "User does not exist." }, 404);
    const { [user.sub]: _old, ...levels } = pool.risk?.riskLevels ?? {};
    const riskLevels = level === null ? levels : { ...levels, [user.sub]: level as "Low" | "Medium" | "High" };
    store.putPool({ ...pool, risk: { ...pool.risk, riskLevels } });
    return c.json({ userPoolId: pool.id, username: user.username, riskLevel: level });
  });

  // The one-click links of the notification emails (domain/auth-events.ts): the user's verdict on
  // the event, as UpdateAuthEventFeedback gives it, checked against the event's FeedbackToken.
  app.get("/_twin/auth-event-feedback", async (c) => {
    const q = (name: string) => c.req.query(name) ?? "";
    const pool = poolOf(q("userPoolId"));
    const user = pool ? findUser(services, pool, q("username")) : undefined;
    const value = q("feedbackValue");
    const event = user?.authEvents?.find((e) => e.eventId === q("eventId"));
    if (!pool || !user || !event || (value !== "Valid" && value !== "Invalid")) {
      return c.json({ message: "No such auth event, or feedbackValue is not Valid or Invalid." }, 404);
    }
    if (!(await isFeedbackToken(services, pool.id, user.sub, event.eventId, q("feedbackToken")))) {
      return c.json({ message: "Invalid feedback token." }, 403);
    }
    await setAuthEventFeedback(services, pool, user, event.eventId, value, "User");
    return c.json({ eventId: event.eventId, feedbackValue: value });
  });

  // The user's events as AdminListUserAuthEvents answers them, each with its FeedbackToken.
  app.get("/_twin/auth-events", async (c) => {
    const pool = poolOf(c.req.query("userPoolId"));
    if (!pool) return c.json({ message: `User pool ${String(c.req.query("userPoolId"))} does not exist.` }, 404);
    const user = findUser(services, pool, c.req.query("username") ?? "");
    if (!user) return c.json({ message: "User does not exist." }, 404);
    const events = await Promise.all(
      (user.authEvents ?? []).map(async (e) => ({
        ...authEventType(e),
        FeedbackToken: await feedbackToken(services, pool.id, user.sub, e.eventId),
      })),
    );
    return c.json({ authEvents: events });
  });
}
