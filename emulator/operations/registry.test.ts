// The registry (index.ts) lists every operation file of this folder, once, in alphabetical order, and each
// file is named after its operation: a new operation cannot be written and forgotten.
import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildRegistry } from "./index.js";

const here = dirname(fileURLToPath(import.meta.url));
const NOT_OPERATIONS = new Set(["index.ts", "types.ts"]);
const operationFiles = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !NOT_OPERATIONS.has(f))
  .map((f) => f.slice(0, -".ts".length))
  .sort()
  .map((f) => `${f}.ts`);

/** `AdminSetUserMFAPreference` -> `admin-set-user-mfa-preference`, as the files are named. */
function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase();
}

describe("operation registry", () => {
  it("imports every operation file, in alphabetical order", () => {
    const source = readFileSync(`${here}/index.ts`, "utf8");
    const imported = [...source.matchAll(/^import \w+ from "\.\/([\w-]+)\.js";$/gm)].map((m) => `${m[1]}.ts`);
    expect(imported).toEqual(operationFiles);
  });

  it("registers one operation per file, named after it, in the same order", () => {
    const names = [...buildRegistry().keys()].map((n) => `${kebab(n)}.ts`);
    expect(names).toEqual(operationFiles);
  });
});
