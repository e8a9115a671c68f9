// The seed guide's journey through boto3 (tests-py/seed_flow.py), the client the guide's app
// uses, against a listening emulator. Skipped, with the reason, where python3 or boto3 is
// missing; in CI (CI=true) a missing boto3 is a failure.
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";
import { buildRegistry } from "./operations/index.js";

const script = fileURLToPath(new URL("../tests-py/seed_flow.py", import.meta.url));
const probe = spawnSync("python3", ["-c", "import boto3"], { encoding: "utf8" });
const missing = probe.error
  ? "python3 is not installed"
  : probe.status !== 0
    ? "boto3 is not installed (pip install boto3)"
    : undefined;
const mustRun = process.env.CI === "true";
// ForgotPassword is served by another part of the emulator; the journey includes it once it is.
const withForgotPassword = buildRegistry().has("ForgotPassword") && buildRegistry().has("ConfirmForgotPassword");

function runScript(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [script, url, ...(withForgotPassword ? ["--forgot-password"] : [])];
  return new Promise((resolve) => {
    execFile(
      "python3",
      args,
      {
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          AWS_ACCESS_KEY_ID: "local",
          AWS_SECRET_ACCESS_KEY: "local",
          AWS_DEFAULT_REGION: "us-east-1",
          AWS_EC2_METADATA_DISABLED: "true",
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("boto3 seed flow", () => {
  let t: TestTwin;
  beforeAll(async () => {
    if (!missing) t = await startTwin();
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it.skipIf(missing !== undefined && !mustRun)(
    `runs the whole journey through boto3${missing ? ` (skipped: ${missing})` : ""}`,
    async () => {
      if (missing) throw new Error(`CI=true but ${missing}`);
      const { code, stdout, stderr } = await runScript(t.url);
      expect(stderr, stdout).not.toContain("FAILED");
      expect(code).toBe(0);
      const { steps } = JSON.parse(stdout.trim().split("\n").at(-1)!) as { steps: string[] };
      expect(steps).toEqual([
        "create pool and client",
        "sign up",
        "unconfirmed login refused",
        "confirm with the inbox code",
        "wrong password refused",
        "login",
        "get user",
        "tampered token refused",
        "refresh",
        "get user with the refreshed token",
        ...(withForgotPassword
          ? ["forgot and confirm password", "old password refused", "login with the new password"]
          : []),
        "global sign-out",
        "get user refused after sign-out",
        "refresh refused after sign-out",
      ]);
    },
  );
});
