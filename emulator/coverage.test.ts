import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coverageMarkdown } from "./coverage.js";

describe("docs/coverage.md", () => {
  it("matches the registry (run `npm run generate:coverage` after adding an operation)", () => {
    const onDisk = readFileSync(new URL("../docs/coverage.md", import.meta.url), "utf8");
    expect(onDisk).toBe(coverageMarkdown());
  });
});
