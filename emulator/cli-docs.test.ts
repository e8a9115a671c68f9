// The options table of docs/command-line.md is generated from OPTIONS; this fails when it is stale.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPTIONS, OPTIONS_MARKERS, optionsMarkdown, withOptionsTable } from "./config.js";

const page = readFileSync(new URL("../docs/command-line.md", import.meta.url), "utf8");

describe("docs/command-line.md", () => {
  it("lists the options as declared (run `npm run generate:cli-docs` after changing one)", () => {
    expect(page).toContain(OPTIONS_MARKERS.start);
    expect(page).toContain(OPTIONS_MARKERS.end);
    expect(page).toBe(withOptionsTable(page));
  });

  it("has one row per option, plus --help", () => {
    const rows = optionsMarkdown().split("\n");
    expect(rows).toHaveLength(2 + OPTIONS.length + 1);
    for (const o of OPTIONS) expect(rows.some((r) => r.startsWith(`| \`--${o.flag}`) && r.includes(o.env))).toBe(true);
  });

  it("rewrites only what is between the markers", () => {
    const before = `# Title\n\ntext\n\n${OPTIONS_MARKERS.start}\nold table\n${OPTIONS_MARKERS.end}\n\nmore text\n`;
    const after = withOptionsTable(before);
    expect(after).toBe(
      `# Title\n\ntext\n\n${OPTIONS_MARKERS.start}\n${optionsMarkdown()}\n${OPTIONS_MARKERS.end}\n\nmore text\n`,
    );
    expect(withOptionsTable(after)).toBe(after);
    expect(() => withOptionsTable("# no markers\n")).toThrow(/options:start/);
  });
});
