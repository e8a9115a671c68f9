// The inbox's subscribe hook (the web console's live view): every message added is handed over,
// a listener that throws is dropped without losing the message, and unsubscribing stops it.
import { describe, expect, it } from "vitest";
import { Inbox, type InboxMessage } from "./inbox.js";

const message = (code: string): InboxMessage => ({
  userPoolId: "us-east-1_Test",
  username: "ann",
  destination: "ann@example.com",
  deliveryMedium: "EMAIL",
  reason: "SignUp",
  code,
  createdAt: 0,
});

describe("Inbox.subscribe", () => {
  it("hands each new message to the listeners until they unsubscribe", () => {
    const inbox = new Inbox(() => undefined);
    const seen: string[] = [];
    const stop = inbox.subscribe((m) => seen.push(m.code!));
    inbox.add(message("111111"));
    stop();
    inbox.add(message("222222"));
    expect(seen).toEqual(["111111"]);
    expect(inbox.list()).toHaveLength(2);
  });

  it("drops a listener that throws, and keeps the message", () => {
    const inbox = new Inbox(() => undefined);
    let calls = 0;
    inbox.subscribe(() => {
      calls++;
      throw new Error("stream closed");
    });
    inbox.add(message("111111"));
    inbox.add(message("222222"));
    expect(calls).toBe(1);
    expect(inbox.list().map((m) => m.code)).toEqual(["111111", "222222"]);
  });
});
