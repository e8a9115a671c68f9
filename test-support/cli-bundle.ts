// Global setup of the `slow` vitest project: bundles emulator/cli.ts once per run, the way
// `npm run build:cli` makes the published command, so the tests that spawn the command start
// plain JavaScript (about 0.3 s) instead of compiling the sources in every child through tsx
// (about 1.3 s each, and those tests start the command dozens of times). The bundle is made
// from the working tree at the start of every run, so it is never older than the sources.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { CLI_BUNDLE_ENV, REPO_ROOT } from "./cli-process.js";

export default async function setup(): Promise<() => Promise<void>> {
  // Inside the repository, as dist/ is: the packages left out of the bundle (as build:cli leaves
  // them out) resolve from its node_modules.
  const cache = join(REPO_ROOT, "node_modules", ".cache");
  await mkdir(cache, { recursive: true });
  const dir = await mkdtemp(join(cache, "cognito-twin-cli-"));
  const outfile = join(dir, "cli.js");
  await build({
    entryPoints: [join(REPO_ROOT, "emulator", "cli.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    sourcemap: true,
    logLevel: "warning",
    // Loaded on first use only, as in the published command (package.json's build:cli).
    external: [
      "@aws-sdk/client-lambda",
      "@aws-crypto/client-node",
      "@node-saml/node-saml",
      "@simplewebauthn/server",
      "openid-client",
      "tsx",
    ],
    // CommonJS dependencies that require() Node's built-ins need a require in an ES module.
    banner: {
      js: 'import { createRequire as __twinRequire } from "node:module"; const require = __twinRequire(import.meta.url);',
    },
  });
  // Test workers start after global setup and inherit this environment.
  process.env[CLI_BUNDLE_ENV] = outfile;
  return async () => {
    delete process.env[CLI_BUNDLE_ENV];
    await rm(dir, { recursive: true, force: true });
  };
}
