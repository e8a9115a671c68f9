// The inbox's subscribe hook (the web console's live view): every message added is handed over,
// a listener that throws is dropped without losing the message, and unsubscribing stops it; the
// sequence numbers a live view resumes from (Inbox.since), which clear never reuses.
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

describe("Inbox sequence numbers", () => {
  it("numbers each message, hands the number to listeners, and answers what came after one", () => {
    const inbox = new Inbox(() => undefined);
    expect(inbox.lastSeq).toBe(0);
    const seen: number[] = [];
    inbox.subscribe((_, seq) => seen.push(seq));
    inbox.add(message("111111"));
    inbox.add({ ...message("222222"), userPoolId: "us-east-1_Other" });
    inbox.add(message("333333"));
    expect(seen).toEqual([1, 2, 3]);
    expect(inbox.lastSeq).toBe(3);
    expect(inbox.since(1).map((m) => [m.seq, m.message.code])).toEqual([
      [2, "222222"],
      [3, "333333"],
    ]);
    expect(inbox.since(1, { userPoolId: "us-east-1_Test" }).map((m) => m.seq)).toEqual([3]);
    expect(inbox.since(3)).toEqual([]);
  });

  it("goes on counting after a clear, so a number never names two messages", () => {
    const inbox = new Inbox(() => undefined);
    inbox.add(message("111111"));
    expect(inbox.clear()).toBe(1);
    inbox.add(message("222222"));
    expect(inbox.since(0).map((m) => m.seq)).toEqual([2]);
    expect(inbox.lastSeq).toBe(2);
  });

  it("keeps the numbers of the messages left when the limit drops the oldest", () => {
    const inbox = new Inbox(() => undefined, 2);
    for (const code of ["1", "2", "3"]) inbox.add(message(code));
    expect(inbox.since(0).map((m) => m.seq)).toEqual([2, 3]);
    expect(inbox.list().map((m) => m.code)).toEqual(["2", "3"]);
  });
});
