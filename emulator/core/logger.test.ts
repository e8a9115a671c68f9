import { describe, expect, it } from "vitest";
import { LineBuffer } from "./logger.js";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("LineBuffer", () => {
  it("writes the lines of one turn as one chunk, in order, at the next turn", async () => {
    const chunks: string[] = [];
    const buffer = new LineBuffer((chunk) => chunks.push(chunk));
    buffer.write("one");
    buffer.write("two");
    expect(chunks).toEqual([]);
    await nextTurn();
    expect(chunks).toEqual(["one\ntwo\n"]);
    buffer.write("three");
    await nextTurn();
    expect(chunks).toEqual(["one\ntwo\n", "three\n"]);
  });

  it("writes at once past 64 KiB, and on flush", () => {
    const chunks: string[] = [];
    const buffer = new LineBuffer((chunk) => chunks.push(chunk));
    const long = "x".repeat(40_000);
    buffer.write(long);
    buffer.write(long);
    expect(chunks).toEqual([`${long}\n${long}\n`]);
    buffer.write("short");
    buffer.flush();
    buffer.flush();
    expect(chunks.at(-1)).toBe("short\n");
    expect(chunks).toHaveLength(2);
  });
});
