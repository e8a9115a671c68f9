// The command in-process: reporters, exit codes, unavailable targets, transcripts and diff.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CliIo, cli, condenseSdkNodeWarning } from "./cli.js";
import { check } from "./expect.js";
import { allScenarios } from "./index.js";
import { triggerFlagValue } from "./triggers/functions.js";
import { type Scenario, SkipStep } from "./types.js";

function io(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { env, stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
  return { io: value, out: () => out.join(""), err: () => err.join("") };
}

const dir = mkdtempSync(join(tmpdir(), "scenarios-cli-"));

describe("running", () => {
  it("prints a green run as one line per scenario and the summary; exit 0", async () => {
    const c = io();
    expect(await cli(["--filter", "duplicate,weak"], c.io)).toBe(0);
    const lines = c.out().split("\n");
    expect(lines[0]).toBe("cognito-twin scenarios: 2 on memory");
    expect(lines[1]).toMatch(/^ {2}in-process emulator at http:\/\/127\.0\.0\.1:\d+, pool us-east-1_\w+$/);
    expect(lines.slice(2)).toEqual([
      "",
      expect.stringMatching(/^✓ duplicate-account {2}\d+ steps {2}[\d.]+ ms$/),
      expect.stringMatching(/^✓ weak-password {2}\d+ steps {2}[\d.]+ ms$/),
      "",
      expect.stringMatching(/^OK {2}2 passed, 0 failed, 0 skipped of 2 scenarios in [\d.]+ ms on memory$/),
      "",
    ]);
    expect(c.err()).toBe("");
  });

  it("--verbose prints every step under its scenario, then the step table", async () => {
    const c = io();
    expect(await cli(["--filter", "duplicate,weak", "--verbose"], c.io)).toBe(0);
    const text = c.out();
    expect(text).toMatch(/\n\nduplicate-account\n {2}✓ sign up \d/);
    expect(text).toMatch(/\nSteps\nscenario +step +status +time\n-+ +-+/);
    expect(text).toMatch(/weak-password +too short: refused +passed +[\d.]+ ms/);
    expect(text).toMatch(/\nOK {2}2 passed, 0 failed, 0 skipped of 2 scenarios in [\d.]+ ms on memory\n/);
  });

  it("shows a failed scenario's steps and error under its line, and a skipped one's reason", async () => {
    const scenarios: Scenario[] = [
      {
        name: "fails-second",
        description: "",
        async run(ctx) {
          await ctx.step("first", async () => undefined);
          await ctx.step("second", async () => check(false, "wrong answer"));
        },
      },
      {
        name: "skips",
        description: "",
        async run(ctx) {
          await ctx.step("not here", async () => {
            throw new SkipStep("no such thing on this target");
          });
        },
      },
    ];
    const c = io();
    expect(await cli([], c.io, scenarios)).toBe(1);
    const text = c.out();
    expect(text).toMatch(
      /\n✗ fails-second {2}2 steps {2}[\d.]+ ms\n {2}✓ first [\d.]+ ms\n {2}✗ second [\d.]+ ms\n {6}wrong answer\n/,
    );
    expect(text).toMatch(/\n○ skips {2}skipped: no such thing on this target\n/);
    expect(text).toContain("Failed\n  fails-second: wrong answer");
    expect(text).not.toContain("\nSteps\n");
  });

  it("--concurrency runs scenarios at once and still prints each one's progress together, in order", async () => {
    const c = io();
    expect(await cli(["--filter", "duplicate,weak,unconfirmed", "--concurrency", "3", "--verbose"], c.io)).toBe(0);
    const text = c.out();
    const at = (s: string) => text.indexOf(s);
    expect(at("duplicate-account\n")).toBeLessThan(at("weak-password\n"));
    expect(at("weak-password\n")).toBeLessThan(at("unconfirmed-login\n"));
    expect(text.slice(at("weak-password\n"), at("unconfirmed-login\n"))).toMatch(/^weak-password\n( {2}✓ .*\n)+$/);
    expect(text).toMatch(/\nOK {2}3 passed, 0 failed, 0 skipped of 3 scenarios/);
  });

  it("writes JUnit XML to --out and keeps progress off stdout", async () => {
    const c = io();
    const file = join(dir, "junit.xml");
    expect(await cli(["--filter", "unconfirmed", "--reporter", "junit", "--out", file], c.io)).toBe(0);
    const xml = readFileSync(file, "utf8");
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="cognito-twin scenarios" tests="1" failures="0" skipped="0" errors="0" time="[\d.]+">/,
    );
    expect(xml).toMatch(
      /<testcase classname="scenarios.memory" name="unconfirmed-login" time="[\d.]+">\n {6}<system-out>✓ sign up without confirming \(\d+ ms\)/,
    );
    expect(c.out()).toBe("");
    expect(c.err()).toContain(`junit report written to ${file}`);
  });

  it("prints JSON to stdout with --reporter json", async () => {
    const c = io();
    expect(await cli(["--filter", "duplicate", "--reporter", "json"], c.io)).toBe(0);
    const result = JSON.parse(c.out()) as { target: string; summary: unknown; scenarios: { steps: unknown[] }[] };
    expect(result.target).toBe("memory");
    expect(result.summary).toEqual({ passed: 1, failed: 0, skipped: 0, total: 1 });
    expect(c.err()).toContain("duplicate-account");
  });

  it("exits 1 when a scenario fails, with a JUnit <failure> and escaped text", async () => {
    const failing: Scenario = {
      name: "always-fails",
      description: "",
      async run(ctx) {
        await ctx.step('compare <a> & "b"', async () => check(false, 'a <b> & "c" differ'));
      },
    };
    const c = io();
    const file = join(dir, "fail.xml");
    expect(await cli(["--reporter", "junit", "--out", file], c.io, [failing])).toBe(1);
    const xml = readFileSync(file, "utf8");
    expect(xml).toContain('tests="1" failures="1"');
    expect(xml).toContain(
      '<failure message="a &lt;b&gt; &amp; &quot;c&quot; differ" type="compare &lt;a&gt; &amp; &quot;b&quot;">',
    );
    const pretty = io();
    expect(await cli([], pretty.io, [failing])).toBe(1);
    expect(pretty.out()).toContain('Failed\n  always-fails: a <b> & "c" differ');
    expect(pretty.out()).toContain("FAILED  0 passed, 1 failed, 0 skipped of 1 scenarios");
  });

  it("lists scenarios", async () => {
    const c = io();
    expect(await cli(["--list"], c.io)).toBe(0);
    expect(c.out().trim().split("\n")).toHaveLength(allScenarios.length);
    expect(c.out()).toMatch(/^expired-token +an access token past its hour.* \[needs clock\]$/m);
    expect(c.out()).toMatch(/^trigger-custom-auth +CUSTOM_AUTH .* \[needs triggers\]$/m);
  });

  it("prints the --trigger mapping for a url target's emulator, running nothing", async () => {
    const c = io();
    expect(await cli(["--print-trigger-map"], c.io)).toBe(0);
    expect(c.out()).toContain(
      `node dist/emulator/cli.js --trigger '${triggerFlagValue("./scenarios/triggers/handlers.mjs")}'\n`,
    );
    expect(c.out()).toContain(`COGNITO_TWIN_TRIGGERS='${triggerFlagValue("./scenarios/triggers/handlers.mjs")}'\n`);
    expect(c.err()).toBe("");
  });
});

describe("usage errors and unavailable targets exit 2 with the reason", () => {
  it.each([
    [["--reporter", "xml"], 'scenarios: --reporter must be pretty, json or junit, not "xml"\n'],
    [["--filter", "nothing-like-this"], 'scenarios: --filter "nothing-like-this" matches no scenario (see --list)\n'],
    [["--target", "moon"], 'scenarios: --target must be memory, url, container or aws, not "moon"\n'],
    [
      ["--target", "url"],
      "scenarios: target url is unavailable: --target url needs --url http://host:port (the emulator's address)\n",
    ],
    [
      ["--target", "aws"],
      "scenarios: target aws is unavailable: --target aws reads the seed's variables: missing environment variables: AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_APP_CLIENT_ID\n",
    ],
    [["--code-source", "prompt"], "scenarios: --code-source is for --target aws (emulators have an inbox)\n"],
    [
      ["--prevent-user-existence-errors", "maybe"],
      "scenarios: --prevent-user-existence-errors must be LEGACY or ENABLED\n",
    ],
    [["--confirm-with", "email"], "scenarios: --confirm-with must be code or admin\n"],
    [["--concurrency", "0"], 'scenarios: --concurrency must be a whole number of at least 1, not "0"\n'],
    [["--concurrency", "two"], 'scenarios: --concurrency must be a whole number of at least 1, not "two"\n'],
  ])("%j", async (argv, message) => {
    const c = io();
    expect(await cli(argv, c.io)).toBe(2);
    expect(c.err()).toBe(message);
  });

  it("refuses --live on a local target", async () => {
    const c = io();
    expect(await cli(["--live"], c.io)).toBe(2);
    expect(c.err()).toBe("scenarios: --live is for --target aws (the other targets are local)\n");
  });

  it("refuses an unknown option with the usage", async () => {
    const c = io();
    expect(await cli(["--bogus"], c.io)).toBe(2);
    expect(c.err()).toContain("Usage:");
  });
});

describe("guard rails of --target aws: exit 3 before any scenario runs", () => {
  const LIVE_ENV = {
    COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
    COGNITO_APP_CLIENT_ID: "1example23456789",
    AWS_ACCESS_KEY_ID: "AKIAQQQQQQQQQQQQQQQQ",
    AWS_SECRET_ACCESS_KEY: "s".repeat(40),
  };
  // A scenario that would be the first to call Cognito; none of these runs may reach it.
  let ran = 0;
  const probe: Scenario[] = [
    {
      name: "probe",
      description: "",
      async run() {
        ran++;
      },
    },
  ];

  it.each([
    [[], LIVE_ENV, /pass --live, or set COGNITO_TWIN_LIVE=1, to confirm\n$/],
    [
      ["--live"],
      { ...LIVE_ENV, AWS_ACCESS_KEY_ID: "local", AWS_SECRET_ACCESS_KEY: "local" },
      /"local" is a placeholder/,
    ],
    [["--live"], { ...LIVE_ENV, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }, /"test" is a placeholder/],
    [["--live"], { ...LIVE_ENV, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE" }, /example from AWS's documentation/],
    [["--live"], { ...LIVE_ENV, AWS_REGION: "us-east-1" }, /is in eu-west-1 but the client would call us-east-1/],
  ])("%j with %j", async (flags, env, message) => {
    const c = io(env);
    expect(await cli(["--target", "aws", ...flags], c.io, probe)).toBe(3);
    expect(c.err()).toMatch(/^scenarios: refusing to run on live AWS: /);
    expect(c.err()).toMatch(message);
    expect(c.out()).toBe("");
    expect(ran).toBe(0);
  });
});

describe("the AWS SDK's Node version warning", () => {
  const SDK_TEXT = `NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)
versions published after the first week of January 2027
will require node >=22. You are running node v20.20.2.

To continue receiving updates to AWS services, bug fixes,
and security updates please upgrade to node >=22.

More information can be found at: https://a.co/c895JFp`;

  it("is one line, once, however many SDK copies emit it; other warnings pass through", () => {
    const passed: unknown[][] = [];
    const proc = { emitWarning: (...args: unknown[]) => void passed.push(args) } as unknown as Pick<
      NodeJS.Process,
      "emitWarning"
    >;
    const written: string[] = [];
    condenseSdkNodeWarning(proc, (t) => written.push(t));
    proc.emitWarning(SDK_TEXT);
    proc.emitWarning(new Error(SDK_TEXT));
    proc.emitWarning("something else", "DeprecationWarning");
    expect(written).toEqual([
      "scenarios: note: The AWS SDK for JavaScript (v3) versions published after the first week of January 2027 will require node >=22. You are running node v20.20.2.\n",
    ]);
    expect(passed).toEqual([["something else", "DeprecationWarning"]]);
  });
});

describe("transcripts and diff", () => {
  it("saves transcripts and diffs them: LEGACY vs ENABLED diverge (exit 1), a run against itself does not (exit 0)", async () => {
    const a = join(dir, "legacy.json");
    const b = join(dir, "enabled.json");
    const first = io();
    expect(
      await cli(
        ["--filter", "wrong-password", "--transcript", a, "--prevent-user-existence-errors", "LEGACY"],
        first.io,
      ),
    ).toBe(0);
    expect(first.err()).toMatch(/transcript of \d+ calls written to /);
    expect(
      await cli(
        ["--filter", "wrong-password", "--transcript", b, "--prevent-user-existence-errors", "ENABLED"],
        io().io,
      ),
    ).toBe(0);

    const diff = io();
    expect(await cli(["diff", a, b], diff.io)).toBe(1);
    expect(diff.out()).toContain(
      "wrong-password › an unknown user is refused #1 InitiateAuth\n  error.type\n    A: UserNotFoundException\n    B: NotAuthorizedException\n",
    );
    const same = io();
    expect(await cli(["diff", a, a], same.io)).toBe(0);
    expect(same.out()).toMatch(/^No divergence: \d+ calls compared/);
  });

  it("--confirm-with admin confirms sign-ups as the aws target does, so transcripts line up", async () => {
    const file = join(dir, "admin.json");
    expect(await cli(["--filter", "registration", "--confirm-with", "admin", "--transcript", file], io().io)).toBe(0);
    const ops = (JSON.parse(readFileSync(file, "utf8")) as { entries: { operation: string }[] }).entries.map(
      (e) => e.operation,
    );
    expect(ops).toContain("AdminConfirmSignUp");
    expect(ops).not.toContain("ConfirmSignUp");
  });

  it("refuses files that are not transcripts", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{}");
    const c = io();
    expect(await cli(["diff", bad, bad], c.io)).toBe(2);
    expect(c.err()).toBe(
      `scenarios: ${bad} is not a transcript (run the scenarios with --transcript FILE to make one)\n`,
    );
    expect(await cli(["diff", bad], io().io)).toBe(2);
  });
});
