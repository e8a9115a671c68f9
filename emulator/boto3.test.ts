// The boto3 suite (tests-py/, pytest): the seed guide's pool and client and its user journey
// through boto3, the client the guide's app uses, against a listening emulator. pytest runs once
// for the whole suite; each Python test module is reported here as one test. Skipped, with the
// reason, where python3, boto3 or pytest is missing; in CI (CI=true) that is a failure.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/cli-process.js";
import { startTwin, type TestTwin } from "../test-support/twin.js";

const SUITE = join(REPO_ROOT, "tests-py");
const MODULES = readdirSync(SUITE)
  .filter((f) => /^test_.*\.py$/.test(f))
  .sort();
const probe = spawnSync("python3", ["-c", "import boto3, pytest"], { encoding: "utf8" });
const missing = probe.error
  ? "python3 is not installed"
  : probe.status !== 0
    ? `boto3 or pytest is not installed (pip install boto3 pytest): ${probe.stderr.trim().split("\n").at(-1)}`
    : undefined;
const mustRun = process.env.CI === "true";
if (missing && !mustRun) console.warn(`skipping the boto3 suite: ${missing}`);

/** One line of tests-py/conftest.py's report: a test phase that did not simply pass. */
interface Outcome {
  test: string;
  when: "setup" | "call" | "teardown";
  outcome: "passed" | "failed" | "skipped";
  message?: string;
}

let t: TestTwin | undefined;
let run: { code: number; output: string; outcomes: Outcome[] } | undefined;

beforeAll(async () => {
  if (missing) return;
  t = await startTwin();
  const dir = mkdtempSync(join(tmpdir(), "twin-pytest-"));
  const report = join(dir, "report.jsonl");
  try {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        "python3",
        ["-m", "pytest", SUITE, "-q", "--tb=short", "-p", "no:cacheprovider", "--rootdir", SUITE],
        {
          cwd: REPO_ROOT,
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            TWIN_ENDPOINT_URL: t!.url,
            TWIN_PYTEST_REPORT: report,
            PYTHONDONTWRITEBYTECODE: "1",
            PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1",
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          },
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? (typeof error.code === "number" ? error.code : 1) : 0,
            output: `${stdout}${stderr}`,
          }),
      );
    });
    let lines: string[] = [];
    try {
      lines = readFileSync(report, "utf8").trim().split("\n").filter(Boolean);
    } catch {
      // no test reported anything: the output says why
    }
    run = { code, output, outcomes: lines.map((l) => JSON.parse(l) as Outcome) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

afterAll(async () => {
  await t?.close();
});

describe.skipIf(missing !== undefined && !mustRun)(
  `boto3 (tests-py/)${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("finds the Python test modules", () => {
      if (missing) throw new Error(`CI=true but ${missing}`);
      expect(MODULES).toEqual(expect.arrayContaining(["test_pool_and_client.py", "test_user_journey.py"]));
    });

    for (const module of MODULES) {
      it(`tests-py/${module} passes`, () => {
        if (missing) throw new Error(`CI=true but ${missing}`);
        const mine = run!.outcomes.filter((o) => o.test.startsWith(`${module}::`));
        const passed = mine.filter((o) => o.when === "call" && o.outcome === "passed");
        const bad = mine.filter((o) => o.outcome !== "passed");
        expect(bad.map((o) => `${o.test} (${o.when}) ${o.outcome}\n${o.message ?? ""}`).join("\n\n")).toBe("");
        expect(passed.length, `no test of ${module} passed:\n${run!.output}`).toBeGreaterThan(0);
      });
    }

    it("pytest exits 0 with every module's tests reported", () => {
      if (missing) throw new Error(`CI=true but ${missing}`);
      expect(run!.code, run!.output).toBe(0);
    });
  },
);
