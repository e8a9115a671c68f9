// Output of a run: live progress lines, a pretty table with a summary, JSON, and JUnit XML.
import type { RunEvent, RunResult, ScenarioResult, StepResult } from "./types.js";

/** Report formats of the CLI. */
export type ReporterName = "pretty" | "json" | "junit";

const MARK: Record<StepResult["status"], string> = { passed: "✓", failed: "✗", skipped: "○" };

function ms(n: number): string {
  return n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
}

/**
 * A progress printer for run events. By default one line per scenario (its mark, name, steps and
 * time), with the steps and the error under a scenario that failed; `verbose` prints every step
 * as it ends, under the scenario's name.
 */
export function progressPrinter(
  write: (text: string) => void,
  options: { color?: boolean; verbose?: boolean } = {},
): (event: RunEvent) => void {
  const paint = painter(options.color ?? false);
  const verbose = options.verbose ?? false;
  const stepLine = (s: StepResult) => {
    const tail =
      s.status === "failed"
        ? `\n      ${paint.red(s.error ?? "")}`
        : s.status === "skipped"
          ? `  ${paint.yellow(`skipped: ${s.reason ?? ""}`)}`
          : "";
    const notes = s.notes?.length ? paint.dim(`  (${s.notes.join("; ")})`) : "";
    return `  ${colorMark(paint, s.status)} ${s.name} ${paint.dim(ms(s.ms))}${notes}${tail}\n`;
  };
  return (event) => {
    switch (event.type) {
      case "run-start":
        write(
          `${paint.bold(`cognito-twin scenarios: ${event.scenarios} on ${event.target}`)}\n  ${paint.dim(event.description)}\n\n`,
        );
        break;
      case "scenario-start":
        if (verbose) write(`${paint.bold(event.name)}\n`);
        break;
      case "step-end":
        if (verbose) write(stepLine(event.step));
        break;
      case "scenario-end": {
        const r = event.result;
        if (verbose) {
          if (r.steps.length === 0 && r.status === "skipped")
            write(`  ${colorMark(paint, "skipped")} ${paint.yellow(`skipped: ${r.reason ?? ""}`)}\n`);
          break;
        }
        write(scenarioLine(paint, r));
        // A failure is shown with the steps that led to it; a pass needs none of them.
        if (r.status === "failed") for (const s of r.steps) write(stepLine(s));
        break;
      }
      case "run-end":
        break;
    }
  };
}

/** `✓ name  6 steps  482 ms`, with the reason of a skip or the count of skipped steps. */
function scenarioLine(paint: Painter, r: ScenarioResult): string {
  const mark = colorMark(paint, r.status);
  if (r.status === "skipped") return `${mark} ${r.name}  ${paint.yellow(`skipped: ${r.reason ?? ""}`)}\n`;
  const skippedSteps = r.steps.filter((s) => s.status === "skipped").length;
  const steps = `${r.steps.length} step${r.steps.length === 1 ? "" : "s"}${skippedSteps > 0 ? `, ${skippedSteps} skipped` : ""}`;
  return `${mark} ${r.status === "failed" ? paint.red(r.name) : r.name}  ${paint.dim(`${steps}  ${ms(r.ms)}`)}\n`;
}

function colorMark(paint: Painter, status: StepResult["status"]): string {
  const m = MARK[status];
  return status === "passed" ? paint.green(m) : status === "failed" ? paint.red(m) : paint.yellow(m);
}

/**
 * The summary: the failed and skipped scenarios with their reasons, then one verdict line;
 * `verbose` puts the per-step timing table first.
 */
export function prettyReport(result: RunResult, options: { color?: boolean; verbose?: boolean } = {}): string {
  const paint = painter(options.color ?? false);
  const out = options.verbose ? stepTable(result, paint) : [];
  const failed = result.scenarios.filter((s) => s.status === "failed");
  const skipped = result.scenarios.filter((s) => s.status === "skipped");
  if (failed.length > 0) {
    out.push("", paint.red(paint.bold("Failed")));
    for (const s of failed) out.push(`  ${s.name}: ${s.error ?? ""}`);
  }
  if (skipped.length > 0) {
    out.push("", paint.yellow(paint.bold("Skipped")));
    for (const s of skipped) out.push(`  ${s.name}: ${s.reason ?? ""}`);
  }
  const { passed, total } = result.summary;
  const verdict = result.summary.failed > 0 ? paint.red("FAILED") : paint.green("OK");
  out.push(
    "",
    `${verdict}  ${passed} passed, ${result.summary.failed} failed, ${result.summary.skipped} skipped of ${total} scenarios in ${ms(result.ms)} on ${result.target}`,
    "",
  );
  return out.join("\n");
}

/** Every step of every scenario with its status and time (`--verbose`). */
function stepTable(result: RunResult, paint: Painter): string[] {
  const rows: [string, string, string, string][] = [["scenario", "step", "status", "time"]];
  for (const s of result.scenarios) {
    if (s.steps.length === 0) rows.push([s.name, "-", s.status, "-"]);
    for (const step of s.steps) rows.push([s.name, step.name, step.status, ms(step.ms)]);
  }
  const widths = [0, 1, 2, 3].map((i) => Math.min(i === 1 ? 60 : 40, Math.max(...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : truncate(c, widths[i]!).padEnd(widths[i]!))).join("  ");
  const out = ["", paint.bold("Steps"), line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  ")];
  let last = "";
  for (const r of rows.slice(1)) {
    const shown = [r[0] === last ? "" : r[0], r[1], r[2], r[3]];
    last = r[0];
    const text = line(shown);
    out.push(r[2] === "failed" ? paint.red(text) : r[2] === "skipped" ? paint.yellow(text) : text);
  }
  return out;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

/** The run as JSON (everything the runner knows). */
export function jsonReport(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * JUnit XML: one testsuite per run, one testcase per scenario, steps and timings in
 * system-out; skipped scenarios carry `<skipped message>`, failed ones `<failure>`.
 */
export function junitReport(result: RunResult): string {
  const sec = (n: number) => (n / 1000).toFixed(3);
  const cases = result.scenarios.map((s) => testcase(result.target, s, sec));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="cognito-twin scenarios" tests="${result.summary.total}" failures="${result.summary.failed}" skipped="${result.summary.skipped}" errors="0" time="${sec(result.ms)}">`,
    `  <testsuite name="scenarios.${xml(result.target)}" tests="${result.summary.total}" failures="${result.summary.failed}" skipped="${result.summary.skipped}" errors="0" time="${sec(result.ms)}" timestamp="${xml(result.startedAt)}">`,
    `    <properties><property name="target" value="${xml(result.description)}"/></properties>`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}

function testcase(target: string, s: ScenarioResult, sec: (n: number) => string): string {
  const steps = s.steps
    .map(
      (st) =>
        `${MARK[st.status]} ${st.name} (${Math.round(st.ms)} ms)${st.error ? `: ${st.error}` : st.reason ? `: skipped: ${st.reason}` : ""}`,
    )
    .join("\n");
  const inner: string[] = [];
  if (s.status === "failed") {
    const failedStep = s.steps.find((st) => st.status === "failed");
    inner.push(
      `      <failure message="${xml(s.error ?? "failed")}" type="${xml(failedStep?.name ?? "scenario")}">${xml(s.error ?? "")}</failure>`,
    );
  }
  if (s.status === "skipped") inner.push(`      <skipped message="${xml(s.reason ?? "skipped")}"/>`);
  if (steps) inner.push(`      <system-out>${xml(steps)}</system-out>`);
  return [
    `    <testcase classname="scenarios.${xml(target)}" name="${xml(s.name)}" time="${sec(s.ms)}">`,
    ...inner,
    `    </testcase>`,
  ].join("\n");
}

function xml(s: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the rest escaped.
  // XML 1.0 forbids these characters even escaped, so they are dropped from JUnit reports.
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists what XML allows
      .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
  );
}

interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap("1"), dim: wrap("2"), red: wrap("31"), green: wrap("32"), yellow: wrap("33") };
}
