import { describe, expect, it } from "vitest";
import { type NewRequestLogEntry, RequestLog } from "./request-log.js";

function entry(operation: string): NewRequestLogEntry {
  return { time: "2026-01-01T00:00:00.000Z", requestId: "r", operation, status: 200, durationMs: 1 };
}

describe("RequestLog", () => {
  it("keeps the newest `capacity` entries, oldest first, numbered from 1", () => {
    const log = new RequestLog(3);
    for (const op of ["a", "b", "c", "d", "e"]) log.add(entry(op));
    expect(log.entries().map((e) => [e.seq, e.operation])).toEqual([
      [3, "c"],
      [4, "d"],
      [5, "e"],
    ]);
    expect(log.lastSeq).toBe(5);
  });

  it("answers `after` a seq and the newest `limit` of those", () => {
    const log = new RequestLog(10);
    for (const op of ["a", "b", "c", "d"]) log.add(entry(op));
    expect(log.entries({ after: 2 }).map((e) => e.operation)).toEqual(["c", "d"]);
    expect(log.entries({ limit: 1 }).map((e) => e.operation)).toEqual(["d"]);
    expect(log.entries({ after: 1, limit: 2 }).map((e) => e.operation)).toEqual(["c", "d"]);
    expect(log.entries({ limit: 0 })).toEqual([]);
    expect(log.entries({ after: 4 })).toEqual([]);
  });

  it("clears without reusing sequence numbers, and fills again after", () => {
    const log = new RequestLog(2);
    for (const op of ["a", "b", "c"]) log.add(entry(op));
    log.clear();
    expect(log.entries()).toEqual([]);
    expect(log.lastSeq).toBe(3);
    log.add(entry("d"));
    expect(log.entries().map((e) => [e.seq, e.operation])).toEqual([[4, "d"]]);
  });

  it("tells subscribers, drops one that throws, and stops one that unsubscribes", () => {
    const log = new RequestLog();
    const seen: string[] = [];
    const stop = log.subscribe((e) => seen.push(e.operation));
    log.subscribe(() => {
      throw new Error("broken console");
    });
    log.add(entry("a"));
    stop();
    log.add(entry("b"));
    expect(seen).toEqual(["a"]);
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new RequestLog(0)).toThrow(RangeError);
    expect(() => new RequestLog(1.5)).toThrow(RangeError);
  });
});
