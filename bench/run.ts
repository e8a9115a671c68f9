// `npm run bench`: cognito-twin, cognito-local and moto side by side on this machine, each
// bound to 127.0.0.1, under bounded load from a separate process; writes bench/RESULTS.md and
// bench/results.json. Options: --quick (one short run), --only <tool,...>, --no-build.
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { helloWorld, nodeStartMs, rs256PerCore } from "./ceilings.js";
import { measureFaultCost } from "./faults.js";
import { type FederationRun, measureFederation } from "./federation-workload.js";
import { measureIdentityPairs } from "./identity-workload.js";
import type { Job, JobResult } from "./load.js";
import { otherActivity, readCpu } from "./machine.js";
import type { MetricId } from "./metrics.js";
import { type Results, renderReport, type ToolResult } from "./report.js";
import { tools as allTools, type ToolName } from "./tools.js";
import { measureTriggerOverhead } from "./trigger-overhead.js";
import { measureTriggers, type TriggerRun } from "./trigger-workloads.js";
import { measureUserImport, type UserImportRun } from "./user-import-workload.js";
import {
  type Budget,
  type Figure,
  type HostedRun,
  type Measured,
  measureHosted,
  measureScale,
  measureStartup,
  measureThroughput,
  median,
  type ScalePlan,
  type ScalePoint,
  since,
  type ThroughputRun,
} from "./workloads.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-build": { type: "boolean", default: false },
    write: { type: "boolean", default: false },
    render: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (opts.help) {
  process.stdout.write(`Usage: npm run bench -- [--quick] [--only twin|cognito-local|moto[,...]] [--no-build] [--write]

  --quick     one short run of every workload (scale up to 10,000 users)
  --only      the tools to run (cognito-twin is "twin"); the others are skipped
  --no-build  use dist/ as it is
  --write     write bench/RESULTS.md even for a --quick or --only run
              (otherwise those go to bench/results/tmp/)
  --render F  measure nothing: write the RESULTS.md beside results.json F again
`);
  process.exit(0);
}

const quick = opts.quick === true;
const RUNS = quick ? 1 : 2;
const budget: Budget = quick ? { seconds: 1, warmupSeconds: 0.3 } : { seconds: 3, warmupSeconds: 0.5 };
const STARTUPS = 5;

const log = (line: string) => process.stdout.write(`${line}\n`);

/** The load generator: one forked process for the whole run, jobs over IPC. */
function loadGenerator(): { run(job: Job): Promise<JobResult>; close(): Promise<void> } {
  const child: ChildProcess = fork(join(root, "bench", "load.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let seq = 0;
  const waiting = new Map<number, { resolve(r: JobResult): void; reject(e: Error): void }>();
  child.on("message", (msg: { id: number; result?: JobResult; error?: string }) => {
    const w = waiting.get(msg.id);
    waiting.delete(msg.id);
    if (msg.error !== undefined) w?.reject(new Error(msg.error));
    else w?.resolve(msg.result!);
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load generator exited (${code})`));
    waiting.clear();
  });
  return {
    run: (job) =>
      new Promise((resolve, reject) => {
        const id = ++seq;
        waiting.set(id, { resolve, reject });
        child.send({ id, job });
      }),
    // Resolves once the process has exited, so its CPU time is in this process's children's.
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}

function build(): string | undefined {
  if (opts["no-build"]) return undefined;
  log("building (npm run build)...");
  const r = spawnSync("npm", ["run", "--silent", "build"], { cwd: root, encoding: "utf8" });
  if (r.status === 0) return undefined;
  if (!existsSync(join(root, "dist", "emulator", "cli.js"))) throw new Error(`build failed:\n${r.stdout}${r.stderr}`);
  const errors = (r.stdout.match(/error TS/g) ?? []).length;
  log(`  tsc reported ${errors} type errors (files mid-edit?); measuring what it emitted`);
  return `tsc reported ${errors} type error(s) while building; the emitted JavaScript was measured`;
}

/**
 * `npm run scenarios` on the memory target, when the script exists: the suite's own duration
 * (its JSON report), with the command's wall time (npm, Node and tsx start-up included) beside.
 */
function scenarioSuite(runs: number): Figure {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> };
  if (!pkg.scripts?.scenarios)
    return { runs: [], missing: "pending: `npm run scenarios` does not exist yet (issue 4)" };
  const suite: number[] = [];
  const walls: number[] = [];
  let slowest: string[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync("npm", ["run", "--silent", "scenarios", "--", "--target", "memory", "--reporter", "json"], {
      cwd: root,
      encoding: "utf8",
      timeout: 120_000,
    });
    walls.push((performance.now() - t0) / 1000);
    let report: { ms?: number; scenarios?: { name: string; steps?: { name: string; ms: number }[] }[] } | undefined;
    try {
      report = JSON.parse(r.stdout) as typeof report;
    } catch {
      report = undefined;
    }
    if (r.status !== 0 || typeof report?.ms !== "number") {
      return {
        runs: suite,
        missing: `\`npm run scenarios -- --target memory\` failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" / ").slice(0, 300)}`,
      };
    }
    suite.push(report.ms / 1000);
    const steps = (report.scenarios ?? []).flatMap((sc) =>
      (sc.steps ?? []).map((st) => ({ name: `${sc.name}: ${st.name}`, ms: st.ms })),
    );
    slowest = steps
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3)
      .map((st) => `${st.name} ${Math.round(st.ms)} ms`);
  }
  return {
    runs: suite,
    note:
      `the suite's own duration (its JSON report); the whole command, with npm's, Node's and tsx's start-up, took ${walls.map((w) => `${w.toFixed(2)} s`).join(" and ")}. ` +
      `Slowest steps of the last run: ${slowest.join("; ")}`,
  };
}

function figure(runs: number[], extra: Partial<Figure> = {}): Figure {
  return { runs, ...extra };
}

function throughputFigures(runs: ThroughputRun[]): Partial<Record<MetricId, Figure>> {
  const out: Partial<Record<MetricId, Figure>> = {};
  const keys = [
    ["initiateAuthC1", "initiateAuthC1"],
    ["initiateAuthC16", "initiateAuthC16"],
    ["getUserC16", "getUserC16"],
    ["signUpC16", "signUpC16"],
    ["signUpDistinctC16", "signUpDistinctC16"],
  ] as const;
  for (const [k, id] of keys) {
    const rs = runs.map((r) => r[k]);
    const errors = rs.reduce((s, r) => s + r.errors, 0);
    const note =
      errors > 0
        ? `${errors} error answers, e.g. ${rs.find((r) => r.firstError)?.firstError?.slice(0, 160)}`
        : undefined;
    const extra = note ? { note } : {};
    out[`${id}Rps`] = figure(
      rs.map((r) => r.rps),
      extra,
    );
    out[`${id}P50`] = figure(
      rs.map((r) => r.p50),
      extra,
    );
    out[`${id}P99`] = figure(
      rs.map((r) => r.p99),
      extra,
    );
    if (id !== "initiateAuthC1")
      out[`${id}CpuUs`] = figure(rs.map((r) => r.serverCpuUs).filter((v) => Number.isFinite(v)));
  }
  return out;
}

const TRIGGER_METRICS: readonly MetricId[] = [
  "signUpNoTriggerC16Rps",
  "signUpNoTriggerC16CpuUs",
  "signUpPreSignUpC16Rps",
  "signUpPreSignUpC16CpuUs",
  "initiateAuthNoTriggerC16Rps",
  "initiateAuthNoTriggerC16CpuUs",
  "initiateAuthPreTokenC16Rps",
  "initiateAuthPreTokenC16CpuUs",
  "preSignUpInvokeUs",
  "preTokenInvokeUs",
  "preSignUpAddedUs",
  "preTokenAddedUs",
];

const IDENTITY_METRICS: readonly MetricId[] = ["identityPairsC16Rps", "identityPairsC16P99", "identityPairsC16CpuUs"];

const FAULT_METRICS: readonly MetricId[] = ["faultMatch100Us", "faultRules100AddedUs"];

const USER_IMPORT_METRICS: readonly MetricId[] = ["userImport100kS", "userImport100kCpuS", "userImportSlowestPollMs"];

const FEDERATION_METRICS: readonly MetricId[] = [
  "federatedOidcCpuMs",
  "federatedOidcWallP50Ms",
  "federatedOidcWallP99Ms",
];

function triggerFigures(runs: TriggerRun[]): Partial<Record<MetricId, Figure>> {
  if (runs.length === 0) return {};
  const pick = (f: (r: TriggerRun) => number) => figure(runs.map(f).filter((v) => Number.isFinite(v)));
  return {
    signUpNoTriggerC16Rps: pick((r) => r.signUpPlainC16.rps),
    signUpNoTriggerC16CpuUs: pick((r) => r.signUpPlainC16.serverCpuUs),
    signUpPreSignUpC16Rps: pick((r) => r.signUpTriggerC16.rps),
    signUpPreSignUpC16CpuUs: pick((r) => r.signUpTriggerC16.serverCpuUs),
    initiateAuthNoTriggerC16Rps: pick((r) => r.initiateAuthPlainC16.rps),
    initiateAuthNoTriggerC16CpuUs: pick((r) => r.initiateAuthPlainC16.serverCpuUs),
    initiateAuthPreTokenC16Rps: pick((r) => r.initiateAuthTriggerC16.rps),
    initiateAuthPreTokenC16CpuUs: pick((r) => r.initiateAuthTriggerC16.serverCpuUs),
    preSignUpInvokeUs: pick((r) => r.preSignUpInvokeUs),
    preTokenInvokeUs: pick((r) => r.preTokenInvokeUs),
  };
}

function hostedFigures(runs: HostedRun[]): Partial<Record<MetricId, Figure>> {
  const out: Partial<Record<MetricId, Figure>> = {};
  const keys = [
    ["loginPageC1", "loginPage", ["P50", "P99"]],
    ["codeExchangeC16", "codeExchange", ["Rps", "P50", "P99", "CpuUs"]],
    ["clientCredentialsC16", "clientCredentials", ["Rps", "P50", "P99", "CpuUs"]],
    ["codeFlowC16", "codeFlow", ["Rps", "P50", "P99", "CpuUs"]],
  ] as const;
  const value = { Rps: "rps", P50: "p50", P99: "p99", CpuUs: "serverCpuUs" } as const;
  for (const [k, why, suffixes] of keys) {
    const rs = runs.map((r) => r[k]).filter((r) => r !== undefined);
    const missing = runs.map((r) => r.missing[why]).find((m) => m !== undefined);
    const errors = rs.reduce((s, r) => s + r.errors, 0);
    const note =
      errors > 0
        ? `${errors} error answers, e.g. ${rs.find((r) => r.firstError)?.firstError?.slice(0, 160)}`
        : undefined;
    for (const suffix of suffixes) {
      const vals = rs.map((r) => r[value[suffix]]).filter((v) => Number.isFinite(v));
      out[`${k}${suffix}` as MetricId] =
        vals.length > 0 ? figure(vals, note ? { note } : {}) : { runs: [], missing: missing ?? "not measured" };
    }
  }
  return out;
}

function scaleFigures(runs: ScalePoint[][]): Partial<Record<MetricId, Figure>> {
  const out: Partial<Record<MetricId, Figure>> = {};
  const at = (users: number) =>
    runs.map((r) => r.find((p) => p.users === users)).filter((p): p is ScalePoint => p !== undefined);
  const pick = (
    id: MetricId,
    users: number,
    value: (p: ScalePoint) => number | undefined,
    missing: (p: ScalePoint) => string | undefined,
  ) => {
    const points = at(users);
    if (points.length === 0) return;
    const vals = points.map(value).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    const f: Figure = { runs: vals };
    const p = points[0]!;
    if (vals.length === 0) f.missing = missing(p) ?? p.missing ?? "not measured";
    if (p.via && vals.length > 0 && !id.startsWith("create")) f.note = p.via;
    out[id] = f;
  };
  const create = (id: MetricId, users: number) => {
    const points = at(users);
    if (points.length === 0) return;
    const f: Figure = { runs: points.map((p) => p.createSeconds).filter((v): v is number => v !== undefined) };
    const ex = points.find((p) => p.createExtrapolated)?.createExtrapolated;
    if (ex) f.extrapolated = ex;
    const retries = points.find((p) => p.retries)?.retries;
    if (retries) f.note = retries;
    out[id] = f;
  };
  create("create10kS", 10_000);
  create("create100kS", 100_000);
  // Per user over everything created through the API (the last checkpoint reached).
  const cpu = runs
    .map((r) => r.filter((p) => p.createSeconds !== undefined && !p.createExtrapolated).at(-1)?.createCpuUs)
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (cpu.length > 0) out.createCpuUs = { runs: cpu };
  for (const [users, suffix] of [
    [100, "100"],
    [10_000, "10k"],
    [100_000, "100k"],
  ] as const) {
    pick(
      `signIn${suffix}Ms`,
      users,
      (p) => p.signInMs,
      () => undefined,
    );
    pick(
      `listUsers${suffix}Ms`,
      users,
      (p) => p.listUsersMs,
      (p) => p.listUsersMissing,
    );
    pick(
      `rss${suffix}MB`,
      users,
      (p) => p.peakRssMB,
      () => undefined,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const only = opts.only?.split(",").map((s) => (s.trim() === "twin" ? "cognito-twin" : s.trim()) as ToolName);
  const selected = allTools(root).filter((t) => !only || only.includes(t.name));
  if (selected.length === 0) throw new Error(`--only ${opts.only}: no such tool (twin, cognito-local, moto)`);
  const partial = quick || only !== undefined;
  const buildWarning = build();
  const load = loadGenerator();
  const startLoad = loadavg();
  const startCpu = readCpu();
  const results: Results = {
    meta: {
      date: new Date().toISOString(),
      node: process.version,
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      platform: `${process.platform} ${process.arch}`,
      quick,
      runs: RUNS,
      workloadSeconds: budget.seconds,
      loadAverageAtStart: startLoad.map((v) => Math.round(v * 100) / 100),
      loadAverageAtEnd: [],
      durationSeconds: 0,
      ...(buildWarning ? { buildWarning } : {}),
    },
    ceilings: {
      rs256PerCore: { runs: [] },
      helloWorldC16Rps: { runs: [] },
      helloWorldC16P50: { runs: [] },
      nodeStartMs: { runs: [] },
    },
    tools: {},
  };
  for (const t of selected) {
    results.tools[t.name] = {
      version: t.version,
      tokenCheck: t.tokenCheck,
      ...(t.unavailable ? { unavailable: t.unavailable } : {}),
      figures: {},
      scale: [],
    } satisfies ToolResult;
  }
  const runnable = selected.filter((t) => !t.unavailable);
  // A tool that fails a workload is reported with the failure; the others carry on.
  const failure = (tool: ToolName, what: string, e: unknown) => {
    const message = `${what} failed: ${(e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 300)}`;
    log(`  ${tool}: ${message}`);
    const entry = results.tools[tool]!;
    entry.failures ??= [];
    entry.failures.push(message);
  };
  for (const t of selected) if (t.unavailable) log(`skipping ${t.name}: ${t.unavailable}`);

  try {
    log("ceilings...");
    for (let r = 0; r < RUNS; r++) {
      results.ceilings.rs256PerCore.runs.push(rs256PerCore(quick ? 0.5 : 1));
      const hello = await helloWorld(root, load.run, budget);
      results.ceilings.helloWorldC16Rps.runs.push(hello.rps);
      results.ceilings.helloWorldC16P50.runs.push(hello.p50);
    }
    results.ceilings.nodeStartMs.runs.push(median(nodeStartMs(STARTUPS)));
    log(
      `  RS256 ${Math.round(median(results.ceilings.rs256PerCore.runs))} signs/s/core; hello world ${Math.round(median(results.ceilings.helloWorldC16Rps.runs))} req/s at c16; node -e 0 ${median(results.ceilings.nodeStartMs.runs).toFixed(0)} ms`,
    );

    const throughput = new Map<ToolName, ThroughputRun[]>();
    const startups = new Map<ToolName, number[]>();
    // Runs interleave the tools, so a noisy minute on a shared machine hits all of them.
    for (let r = 0; r < RUNS; r++) {
      for (const tool of runnable) {
        log(`run ${r + 1}/${RUNS}, ${tool.name}: start-up x${STARTUPS}...`);
        const s = await measureStartup(tool, STARTUPS);
        log(`  start-up ${s.map((v) => v.toFixed(0)).join(", ")} ms`);
        startups.set(tool.name, [...(startups.get(tool.name) ?? []), median(s)]);
        log(`run ${r + 1}/${RUNS}, ${tool.name}: throughput...`);
        try {
          const tr = await measureThroughput(tool, load.run, budget, log);
          throughput.set(tool.name, [...(throughput.get(tool.name) ?? []), tr]);
        } catch (e) {
          failure(tool.name, `throughput run ${r + 1}`, e);
        }
      }
    }
    for (const tool of runnable) {
      const res = results.tools[tool.name]!;
      res.figures.startupMs = figure(startups.get(tool.name) ?? []);
      Object.assign(res.figures, throughputFigures(throughput.get(tool.name) ?? []));
    }

    const hosted = new Map<ToolName, HostedRun[]>();
    for (let r = 0; r < RUNS; r++) {
      for (const tool of runnable) {
        log(`run ${r + 1}/${RUNS}, ${tool.name}: login pages and /oauth2/token...`);
        try {
          // Codes made beforehand, each redeemed once; cognito-local writes its data file per code.
          const codes = tool.name === "cognito-twin" ? (quick ? 2000 : 8000) : quick ? 300 : 1500;
          const h = await measureHosted(tool, load.run, budget, codes, log);
          hosted.set(tool.name, [...(hosted.get(tool.name) ?? []), h]);
        } catch (e) {
          failure(tool.name, `hosted run ${r + 1}`, e);
        }
      }
    }
    for (const tool of runnable)
      Object.assign(results.tools[tool.name]!.figures, hostedFigures(hosted.get(tool.name) ?? []));

    const twinTool = runnable.find((t) => t.name === "cognito-twin");
    if (twinTool) {
      const triggerRuns: TriggerRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: Lambda triggers...`);
        try {
          triggerRuns.push(await measureTriggers(root, twinTool, load.run, budget, log));
        } catch (e) {
          failure("cognito-twin", `trigger run ${r + 1}`, e);
        }
      }
      Object.assign(results.tools["cognito-twin"]!.figures, triggerFigures(triggerRuns));
      const added: { preSignUp: number[]; preToken: number[] } = { preSignUp: [], preToken: [] };
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: what a trigger adds, in-process...`);
        try {
          const o = await measureTriggerOverhead(quick ? 300 : 1500);
          const line = (name: string, v: typeof o.preSignUp) =>
            `${name} ${v.withoutUs.toFixed(0)} -> ${v.withUs.toFixed(0)} us (median), added ${v.addedUs.toFixed(1)} us (control ${v.noiseUs.toFixed(1)} us)`;
          log(`  ${line("SignUp", o.preSignUp)}; ${line("InitiateAuth", o.preToken)}`);
          added.preSignUp.push(o.preSignUp.addedUs);
          added.preToken.push(o.preToken.addedUs);
        } catch (e) {
          failure("cognito-twin", `trigger overhead run ${r + 1}`, e);
        }
      }
      if (added.preSignUp.length > 0) {
        results.tools["cognito-twin"]!.figures.preSignUpAddedUs = figure(added.preSignUp);
        results.tools["cognito-twin"]!.figures.preTokenAddedUs = figure(added.preToken);
      }
      const faultRuns = { match: [] as number[], added: [] as number[] };
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: what 100 fault rules cost, in-process...`);
        try {
          const f = await measureFaultCost(quick ? 4_000 : 20_000, log);
          // The worst of the two rule sets: the one every request walks to the end.
          faultRuns.match.push(Math.max(f.matchUs.otherOperations, f.matchUs.otherPool));
          faultRuns.added.push(Math.max(f.addedUs.otherOperations, f.addedUs.otherPool));
        } catch (e) {
          failure("cognito-twin", `fault cost run ${r + 1}`, e);
        }
      }
      if (faultRuns.match.length > 0) {
        results.tools["cognito-twin"]!.figures.faultMatch100Us = figure(faultRuns.match);
        results.tools["cognito-twin"]!.figures.faultRules100AddedUs = figure(faultRuns.added);
      }
      const federationRuns: FederationRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: federated OIDC sign-ins through a local oidc-provider...`);
        try {
          federationRuns.push(await measureFederation(twinTool, quick ? 100 : 200, log));
        } catch (e) {
          failure("cognito-twin", `federation run ${r + 1}`, e);
        }
      }
      if (federationRuns.length > 0) {
        const twinFigures = results.tools["cognito-twin"]!.figures;
        twinFigures.federatedOidcCpuMs = figure(federationRuns.map((f) => f.cpuMs).filter((v) => Number.isFinite(v)));
        twinFigures.federatedOidcWallP50Ms = figure(federationRuns.map((f) => f.wallP50Ms));
        twinFigures.federatedOidcWallP99Ms = figure(federationRuns.map((f) => f.wallP99Ms));
      }
      const identityRuns: Measured[] = [];
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: identity pools, GetId + GetCredentialsForIdentity pairs...`);
        try {
          identityRuns.push(await measureIdentityPairs(twinTool, load.run, budget, log));
        } catch (e) {
          failure("cognito-twin", `identity pool run ${r + 1}`, e);
        }
      }
      if (identityRuns.length > 0) {
        const twinFigures = results.tools["cognito-twin"]!.figures;
        twinFigures.identityPairsC16Rps = figure(identityRuns.map((i) => i.rps));
        twinFigures.identityPairsC16P99 = figure(identityRuns.map((i) => i.p99));
        twinFigures.identityPairsC16CpuUs = figure(identityRuns.map((i) => i.serverCpuUs));
      }
      const importRuns: UserImportRun[] = [];
      for (let r = 0; r < RUNS; r++) {
        log(`run ${r + 1}/${RUNS}, cognito-twin: a CSV user import of 100,000 rows...`);
        try {
          importRuns.push(await measureUserImport(twinTool, 100_000, log));
        } catch (e) {
          failure("cognito-twin", `user import run ${r + 1}`, e);
        }
      }
      if (importRuns.length > 0) {
        const twinFigures = results.tools["cognito-twin"]!.figures;
        twinFigures.userImport100kS = figure(importRuns.map((i) => i.importS));
        twinFigures.userImport100kCpuS = figure(importRuns.map((i) => i.cpuS));
        twinFigures.userImportSlowestPollMs = figure(importRuns.map((i) => i.slowestPollMs));
      }
    }
    for (const tool of runnable) {
      if (tool.name === "cognito-twin") continue;
      const none = `not measured: the trigger workloads map cognito-twin's in-process triggers (--trigger); ${tool.name} has no equivalent to run them against`;
      for (const id of TRIGGER_METRICS) results.tools[tool.name]!.figures[id] = { runs: [], missing: none };
      const noUpstream = `not measured: ${tool.name} signs nobody in through an upstream identity provider`;
      for (const id of FEDERATION_METRICS) results.tools[tool.name]!.figures[id] = { runs: [], missing: noUpstream };
      const noIdentity = `not measured: ${tool.name} serves no identity pools on its user-pool endpoint`;
      for (const id of IDENTITY_METRICS) results.tools[tool.name]!.figures[id] = { runs: [], missing: noIdentity };
      const noFaults = `not measured: ${tool.name} has no fault rules`;
      for (const id of FAULT_METRICS) results.tools[tool.name]!.figures[id] = { runs: [], missing: noFaults };
      const noImport = `not measured: the workload PUTs the file to the job's PreSignedUrl, which ${tool.name} does not serve`;
      for (const id of USER_IMPORT_METRICS) results.tools[tool.name]!.figures[id] = { runs: [], missing: noImport };
    }

    const scaleRuns = new Map<ToolName, ScalePoint[][]>();
    for (let r = 0; r < RUNS; r++) {
      for (const tool of runnable) {
        const plan: ScalePlan = {
          checkpoints: quick ? [100, 10_000] : [100, 10_000, 100_000],
          createBudgetSeconds: tool.name === "cognito-twin" ? 600 : quick ? 5 : tool.name === "moto" ? 60 : 20,
          chunk: tool.name === "cognito-twin" ? 100_000 : 500,
          probes: quick ? 5 : 15,
        };
        log(
          `run ${r + 1}/${RUNS}, ${tool.name}: scale (${plan.checkpoints.map((c) => c.toLocaleString("en-US")).join(", ")} users)...`,
        );
        try {
          const points = await measureScale(tool, load.run, plan, log);
          scaleRuns.set(tool.name, [...(scaleRuns.get(tool.name) ?? []), points]);
        } catch (e) {
          failure(tool.name, `scale run ${r + 1}`, e);
        }
      }
    }
    for (const tool of runnable) {
      const res = results.tools[tool.name]!;
      res.scale = scaleRuns.get(tool.name) ?? [];
      Object.assign(res.figures, scaleFigures(res.scale));
    }

    if (runnable.some((t) => t.name === "cognito-twin")) {
      log("scenario suite (memory target)...");
      const f = scenarioSuite(RUNS);
      results.tools["cognito-twin"]!.figures.scenarioSuiteS = f;
      log(`  ${f.missing ?? `${median(f.runs).toFixed(2)} s`}`);
    }
    for (const tool of runnable) {
      if (tool.name !== "cognito-twin")
        results.tools[tool.name]!.figures.scenarioSuiteS = {
          runs: [],
          missing: "n/a: the scenarios read codes from cognito-twin's inbox",
        };
    }
  } finally {
    await load.close();
  }

  results.meta.loadAverageAtEnd = loadavg().map((v) => Math.round(v * 100) / 100);
  const endCpu = readCpu();
  if (startCpu && endCpu) Object.assign(results.meta, otherActivity(startCpu, endCpu));
  results.meta.durationSeconds = Math.round(since(t0));
  const dir = partial && !opts.write ? join(root, "bench", "results", "tmp") : join(root, "bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = renderReport(results);
  writeFileSync(join(dir, "RESULTS.md"), md);
  log("");
  log(md);
  log(
    `wrote ${relative(root, join(dir, "RESULTS.md"))} and ${relative(root, join(dir, "results.json"))} in ${results.meta.durationSeconds} s`,
  );
}

/** Re-renders the report of a saved results.json (after the report's wording changed). */
function render(file: string): void {
  const results = JSON.parse(readFileSync(file, "utf8")) as Results;
  const out = join(dirname(file), "RESULTS.md");
  writeFileSync(out, renderReport(results));
  log(`wrote ${relative(root, out)} from ${relative(root, file)}`);
}

(opts.render ? Promise.resolve(render(opts.render)) : main()).catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
