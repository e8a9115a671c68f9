// The request log of the command itself: lines on a real stdout pipe (through the line buffer),
// JSON lines, and nothing lost when it is stopped right after answering.
import { afterEach, describe, expect, it } from "vitest";
import { type CliProcess, startCli } from "../test-support/cli-process.js";

const TIMEOUT = 60_000;
const running: CliProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop("SIGKILL")));
});

async function api(url: string, operation: string, input: unknown): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(input),
  });
}

describe("the command's request log", () => {
  it("writes a text line per request, not /health, all out when stopped at once", { timeout: TIMEOUT }, async () => {
    const cli = await startCli(["--port", "0"]);
    running.push(cli);
    await fetch(`${cli.url}/health`);
    // Unsigned, so refused before the pool is looked up: the line still names it.
    const res = await api(cli.url, "DescribeUserPool", { UserPoolId: "us-east-1_missing1" });
    expect(res.status).toBe(400);
    // Stopped right after the answer: its line is out by the next turn, or at exit at the latest.
    const result = await cli.stop("SIGTERM");
    running.splice(running.indexOf(cli), 1);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^cognito-twin ready on /);
    expect(lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l))).toEqual([
      expect.stringMatching(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z DescribeUserPool us-east-1_missing1 400 MissingAuthenticationTokenException \d+\.\dms$/,
      ),
    ]);
  });

  it("writes JSON lines with --log-format json, bodies masked at debug", { timeout: TIMEOUT }, async () => {
    const cli = await startCli(["--port", "0", "--log-level", "debug"], { COGNITO_TWIN_LOG_FORMAT: "json" });
    running.push(cli);
    await api(cli.url, "SignUp", { ClientId: "nosuchclient", Username: "ann", Password: "Sup3r-secret!" });
    const result = await cli.stop("SIGTERM");
    running.splice(running.indexOf(cli), 1);
    const lines = result.stdout.trim().split("\n");
    // The ready and shutdown lines stay text; everything between is JSON.
    expect(lines[0]).toMatch(/^cognito-twin ready on /);
    expect(lines.at(-1)).toBe("cognito-twin: SIGTERM, shutting down");
    const objects = lines.slice(1, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objects).toContainEqual(
      expect.objectContaining({
        level: "info",
        operation: "SignUp",
        clientId: "nosuchclient",
        status: 400,
        errorType: "ResourceNotFoundException",
        request: { ClientId: "nosuchclient", Username: "ann", Password: "***" },
      }),
    );
    expect(result.stdout).not.toContain("Sup3r-secret!");
  });
});
