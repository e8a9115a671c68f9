// Every Markdown link in README.md, CONTRIBUTING.md and docs/ is relative and reaches a file
// (and heading) that exists, and every repository path written in backticks exists: the docs are
// walked by newcomers, so a moved file must not leave a dead link behind.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function markdownFiles(): string[] {
  const files = ["README.md", "CONTRIBUTING.md"];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir))) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (path.endsWith(".md")) files.push(path);
    }
  };
  walk("docs");
  return files;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, -1 -2 for repeats. */
function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const slug = (m[1] ?? "")
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

const PATH_SPAN =
  /`((?:\.ci|emulator|client|scenarios|docker|bench|scripts|test-support|tests-py|docs|lint)\/[^`\s]*|\.dependency-cruiser\.cjs|vitest\.config\.ts|biome\.json|knip\.json)`/g;

describe("documentation links", () => {
  for (const file of markdownFiles()) {
    it(`${file} links only to what exists`, () => {
      const text = readFileSync(join(root, file), "utf8").replace(/```[\s\S]*?```/g, "");
      const problems: string[] = [];
      // Links are read outside inline code too: `[a](b)` inside backticks is an example, not a link.
      for (const m of text.replace(/`[^`\n]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] ?? "";
        if (/^[a-z]+:/i.test(target) || target.startsWith("/")) {
          problems.push(`not relative: ${target}`);
          continue;
        }
        const [path, anchor] = target.split("#");
        const abs = path ? resolve(root, dirname(file), path) : resolve(root, file);
        if (!abs.startsWith(`${root}/`) && abs !== root) problems.push(`outside the repository: ${target}`);
        else if (!existsSync(abs)) problems.push(`missing: ${target}`);
        else if (anchor && !anchorsOf(abs).has(anchor))
          problems.push(`no heading #${anchor} in ${relative(root, abs)}`);
      }
      for (const m of text.matchAll(PATH_SPAN)) {
        const path = (m[1] ?? "").replace(/<[^>]*>.*$/, "");
        // Placeholders (`NNNN-title.md`, `<name>.ts`, globs) and folders the runs create are not paths.
        if (/[*<]|NNNN|results\/tmp/.test(path)) continue;
        if (!existsSync(join(root, path))) problems.push(`no such path in backticks: ${m[1]}`);
      }
      expect(problems).toEqual([]);
    });
  }
});
