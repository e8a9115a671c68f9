// The config file's "Triggers" map is checked when the file is read: a bad entry is a ConfigError
// (the command prints it and exits 2), never a stack trace from deep inside createApp.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, readConfig, type TwinConfig } from "./config.js";

const dir = mkdtempSync(join(tmpdir(), "twin-config-triggers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withFile(body: unknown): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(body));
  return file;
}

describe('the config file\'s "Triggers"', () => {
  it("keeps a map of names to module specs", () => {
    const file = withFile({ Triggers: { "pre-signup": "./triggers/pre.ts#handler" } });
    const config = readConfig(["--config", file], {}) as TwinConfig;
    expect(config.seed?.Triggers).toEqual({ "pre-signup": "./triggers/pre.ts#handler" });
  });

  it.each([
    ["a number as the spec", { x: 5 }],
    ["an empty spec", { x: "" }],
    ["an empty name", { "": "./a.js" }],
    ["a list", ["./a.js"]],
    ["a string", "./a.js"],
    ["null", null],
  ])("refuses %s with a ConfigError naming the file", (_what, triggers) => {
    const file = withFile({ Triggers: triggers });
    expect(() => readConfig(["--config", file], {})).toThrow(ConfigError);
    expect(() => readConfig(["--config", file], {})).toThrow(`config file ${file}: "Triggers" must map`);
  });
});
