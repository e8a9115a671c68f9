// Rewrites the options table of docs/command-line.md (between <!-- options:start --> and
// <!-- options:end -->) from OPTIONS in emulator/config.ts: `npm run generate:cli-docs`.
// The rest of the page is left as it is.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withOptionsTable } from "../emulator/config.js";

const target = fileURLToPath(new URL("../docs/command-line.md", import.meta.url));
const page = readFileSync(target, "utf8");
const updated = withOptionsTable(page);
if (updated === page) console.log(`${target} is up to date`);
else {
  writeFileSync(target, updated);
  console.log(`wrote the options table of ${target}`);
}
