// The suite in three vitest projects, by what a test file costs (issue 11):
//
//   unit         in process: pure functions and `app.request()`; no port is opened (the setup
//                file test-support/unit-guard.ts fails a test that listens). Every file that
//                is in neither list below.
//   integration  through a real server on 127.0.0.1 inside the test process, and the clients
//                that talk to it: SDK v3, amazon-cognito-identity-js, Amplify, the client app,
//                the scenario runner.
//   slow         other processes and storms: the fuzz, the SIGKILL crash test, the concurrency
//                storms, the command as a child process, the AWS CLI, boto3 (tests-py/), the
//                container, the heap flags, the process limits over raw sockets.
//
//   npm run test:quick   unit and integration, no typecheck or lint: the loop to run while you
//                        work (about 40 s on the 2-core CI machine; `npx vitest run --project
//                        unit` alone, about 12 s). One file: `npx vitest run <path>`.
//   npm test             typecheck, lint, dependency rules, knip, then all three projects.
//
// A test that starts another program or a container, or runs for more than a few seconds, goes
// into SLOW; one that opens a port goes into INTEGRATION.
import { defineConfig } from "vitest/config";

const INTEGRATION = [
  "client/app.test.ts",
  "client/cognito-client.test.ts",
  "client/hosted-login.test.ts",
  "docker/ci-recipes.test.ts",
  "docker/testcontainers-faults.test.ts",
  "emulator/amplify-attributes.test.ts",
  "emulator/amplify.test.ts",
  "emulator/amplify-custom-devices.test.ts",
  "emulator/amplify-devices.test.ts",
  "emulator/amplify-identity.test.ts",
  "emulator/amplify-user-auth.test.ts",
  "emulator/identity-js.test.ts",
  "emulator/identity-js-devices.test.ts",
  "emulator/seed-flow.test.ts",
  "emulator/start-twin.test.ts",
  "emulator/test-controls.test.ts",
  "emulator/domain/challenges/srp.test.ts",
  "emulator/domain/federation/social.test.ts",
  "emulator/domain/federation/upstream.test.ts",
  "emulator/domain/federation/users.test.ts",
  "emulator/domain/mfa.test.ts",
  "emulator/domain/sessions-sweep.test.ts",
  "emulator/domain/triggers/*.test.ts",
  "emulator/http/body-limit.test.ts",
  "emulator/http/hosted/federation-oidc.test.ts",
  "emulator/http/hosted/federation-inbound.test.ts",
  "emulator/http/hosted/federation-oidc-cache.test.ts",
  "emulator/http/hosted/federation-saml-metadata-url.test.ts",
  "emulator/http/hosted/federation-upstream-options.test.ts",
  "emulator/http/guard.test.ts",
  "emulator/http/sts-routes.test.ts",
  "emulator/operations/*.test.ts",
  "emulator/operations/identity/*.test.ts",
  "emulator/persistence/persistence.test.ts",
  "emulator/protocol/faults-http.test.ts",
  "emulator/protocol/faults-recipe.test.ts",
  "emulator/persistence/state-validation.test.ts",
  "emulator/services/triggers-lambda.test.ts",
  "emulator/services/triggers-lambda-flows.test.ts",
  "emulator/tokens/access-signature.test.ts",
  "emulator/tokens/tokens.test.ts",
  "scenarios/cli.test.ts",
  "scenarios/faults.test.ts",
  "scenarios/federation.test.ts",
  "scenarios/hosted.test.ts",
  "scenarios/scenarios.test.ts",
  "scenarios/srp.test.ts",
  "scenarios/targets/control-token.test.ts",
  "scenarios/triggers/scenarios.test.ts",
  "scenarios/transcript.test.ts",
];

// Quick files that must run in a worker of their own: they replace a module with vi.mock, which
// a worker shared with other files (the unit and integration projects run without isolation)
// could have loaded already.
const ISOLATED = ["docker/testcontainers.test.ts"];

const SLOW = [
  "client/main.test.ts",
  "docker/container-faults.test.ts",
  "docker/container.test.ts",
  "emulator/aws-cli.test.ts",
  "emulator/boto3.test.ts",
  "emulator/cli.test.ts",
  "emulator/concurrency.test.ts",
  "emulator/domain/webauthn/browser.test.ts",
  "emulator/fuzz.test.ts",
  "emulator/heap.test.ts",
  "emulator/http/console/browser.test.ts",
  "emulator/http/hosted/branding-browser.test.ts",
  "emulator/http/hosted/browser.test.ts",
  "emulator/http/hosted/federation-browser.test.ts",
  "emulator/http/hosted/i18n-browser.test.ts",
  "emulator/http/hosted/passkey-browser.test.ts",
  "emulator/http/hosted/social-saml-browser.test.ts",
  "emulator/http/limits.test.ts",
  "emulator/persistence/crash.test.ts",
  "emulator/persistence/recovery-http.test.ts",
  "emulator/request-log-cli.test.ts",
];

const ALWAYS_EXCLUDED = ["node_modules/**", "dist/**"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "threads",
    // Vitest's default in `run` mode is one worker per core minus one: a single worker on the
    // 2-core CI machine. Most files wait on sockets, child processes and the libuv pool as much
    // as on the CPU, so two workers keep both cores busy.
    maxWorkers: 2,
    // RSA key pairs generated ahead (once per machine, in node_modules/.cache) and handed to
    // the in-process emulators' pools: generating them was most of the suite's CPU.
    globalSetup: ["test-support/rsa-keys.ts"],
    setupFiles: ["test-support/setup-keys.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...ALWAYS_EXCLUDED, ...INTEGRATION, ...SLOW, ...ISOLATED],
          setupFiles: ["test-support/unit-guard.ts"],
          // A worker runs file after file without loading the emulator's ~650 modules and the
          // SDKs again for each: that reloading was most of the quick loop (107 s, 49 s without).
          // Every file builds its own emulators; the few process-wide patches (the RSA key stock,
          // the unit guard) are installed once and restarted, or restored, per file.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "isolated",
          include: ISOLATED,
          exclude: ALWAYS_EXCLUDED,
          setupFiles: ["test-support/unit-guard.ts"],
        },
      },
      {
        extends: true,
        // Not isolated either, for the same reason as the unit project.
        test: { name: "integration", include: INTEGRATION, exclude: ALWAYS_EXCLUDED, isolate: false },
      },
      {
        extends: true,
        test: {
          name: "slow",
          include: SLOW,
          exclude: ALWAYS_EXCLUDED,
          // Bundles the command once, so the tests that spawn it do not compile it each time.
          globalSetup: ["test-support/cli-bundle.ts"],
        },
      },
    ],
  },
});
