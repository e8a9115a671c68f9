// Writes docs/coverage.md from the registry: `npm run generate:coverage`.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { coverageMarkdown } from "../emulator/coverage.js";

const target = fileURLToPath(new URL("../docs/coverage.md", import.meta.url));
writeFileSync(target, await coverageMarkdown());
console.log(`wrote ${target}`);
