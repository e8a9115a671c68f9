// `npm run client` as a process: settings errors, and serving the app against the emulator.
import { type ChildProcess, spawn } from "node:child_process";
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, type TestTwin } from "../test-support/twin.js";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

function start(env: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", MAIN, ...args], {
    env: { PATH: process.env.PATH ?? "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("npm run client", () => {
  it("exits 2 naming the missing variables", async () => {
    const r = await finished(start({}));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "client: missing environment variables: AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_APP_CLIENT_ID",
    );
    expect(r.stderr).toContain("Usage: npm run client");
  });

  describe("against the emulator", () => {
    let t: TestTwin;
    let child: ChildProcess | undefined;
    let env: Record<string, string>;
    beforeAll(async () => {
      t = await startTwin();
      const pool = await t.cognito.send(
        new CreateUserPoolCommand({ PoolName: "main-test", UsernameAttributes: ["email"] }),
      );
      const client = await t.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.UserPool!.Id!,
          ClientName: "c",
          ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH"],
        }),
      );
      env = {
        COGNITO_ENDPOINT: t.url,
        COGNITO_USER_POOL_ID: pool.UserPool!.Id!,
        COGNITO_APP_CLIENT_ID: client.UserPoolClient!.ClientId!,
      };
    });
    afterAll(async () => {
      if (child && child.exitCode === null) child.kill("SIGTERM");
      await t.close();
    });

    it("serves the app on the port it prints, and stops on SIGTERM", async () => {
      child = start(env, ["--port", "0"]);
      const done = finished(child);
      const url = await new Promise<string>((resolve, reject) => {
        child!.stdout!.on("data", (d: Buffer) => {
          const m = /listening on (http:\/\/\S+)/.exec(d.toString());
          if (m) resolve(m[1]!);
        });
        child!.once("close", () => reject(new Error("the client exited before listening")));
      });
      const res = await fetch(`${url}/protected`);
      expect(res.status).toBe(401);
      const reg = await fetch(`${url}/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "main@example.com", password: "Passw0rd!", name: "M" }),
      });
      expect(reg.status).toBe(201);
      child.kill("SIGTERM");
      const r = await done;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`cognito: ${t.url}  pool ${env.COGNITO_USER_POOL_ID}`);
      expect(r.stdout).toContain(`keys ${t.url}/${env.COGNITO_USER_POOL_ID}/.well-known/jwks.json`);
    });
  });
});
