#!/usr/bin/env node
// Prints the fenced code block of a Markdown file whose first line is the comment `// <name>`:
// how scripts/pack-check.sh runs the README's vitest recipe exactly as a reader copies it.
//
//   node scripts/readme-snippet.mjs README.md sign-up.test.ts
import { readFileSync } from "node:fs";

const [file, name] = process.argv.slice(2);
if (!file || !name) {
  process.stderr.write("usage: readme-snippet.mjs <markdown file> <name in the block's first comment>\n");
  process.exit(2);
}
const blocks = readFileSync(file, "utf8").matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm);
for (const [, body] of blocks) {
  if (body.split("\n", 1)[0]?.trim() === `// ${name}`) {
    process.stdout.write(body);
    process.exit(0);
  }
}
process.stderr.write(`no code block in ${file} starts with // ${name}\n`);
process.exit(1);
