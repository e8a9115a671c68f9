// `npm run scenarios -- ...`: runs the scenarios against a target and reports; `diff A B`
// compares two transcripts.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { PreventUserExistenceErrorTypes } from "@aws-sdk/client-cognito-identity-provider";
import { parseCodeSource } from "./code-sources.js";
import { allScenarios } from "./index.js";
import { jsonReport, junitReport, prettyReport, progressPrinter, type ReporterName } from "./reporters.js";
import { runScenarios, selectScenarios } from "./runner.js";
import { openAwsTarget } from "./targets/aws.js";
import { openContainerTarget } from "./targets/container.js";
import type { ClientOverrides } from "./targets/emulator.js";
import { openMemoryTarget } from "./targets/memory.js";
import type { TargetOpening } from "./targets/types.js";
import { openUrlTarget } from "./targets/url.js";
import { asTranscript, diffTranscripts, formatDiff, TranscriptRecorder, uncompared } from "./transcript.js";
import { triggerMapHelp } from "./triggers/functions.js";
import type { Scenario } from "./types.js";

/** Where the CLI writes, and what it reads; injectable for tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly isTty?: boolean;
  readonly signal?: AbortSignal;
}

export const USAGE = `Usage:
  npm run scenarios -- [options]          run the scenarios
  npm run scenarios -- diff A.json B.json compare two transcripts

Options:
  --target T          memory (default: in-process emulator) | url | container | aws
  --live              aws: confirm that live Cognito is meant (or set COGNITO_TWIN_LIVE=1)
  --url URL           the emulator for --target url (default $COGNITO_ENDPOINT)
  --filter TEXT       only scenarios whose name contains TEXT (comma-separated: any of them)
  --reporter R        pretty (default) | json | junit
  --out FILE          write the report to FILE (progress still goes to the terminal)
  --transcript FILE   save every SDK call's shape (redacted) for \`diff\`
  --code-source S     aws: where emailed codes come from: prompt | command:<shell command> | none
  --email-domain D    domain of throwaway users' emails (default example.com; aws: use one you receive)
  --prevent-user-existence-errors LEGACY|ENABLED
                      emulator targets: the app client's setting (default LEGACY, as the API's)
  --client-secret     emulator targets: give the app client a secret (SECRET_HASH on every call)
  --confirm-with M    emulator targets: confirm sign-ups with the emailed code (default) or
                      admin (AdminConfirmSignUp, as on aws: use it for transcripts to diff with aws)
  --image IMAGE       container target: the image (default cognito-twin:local)
  --control-token T   emulator targets: the emulator's --control-token, sent on /_twin/* (default
                      $COGNITO_TWIN_CONTROL_TOKEN; the memory and container targets require it)
  --concurrency N     scenarios run at once (default 1; scenarios that move the clock always run
                      alone; 1 with --transcript)
  --verbose           print every step as it ends, and the step table (default: one line per
                      scenario, with its steps only when it fails)
  --list              list the scenarios and exit
  --print-trigger-map print the --trigger flag that gives an emulator the trigger scenarios'
                      functions (for --target url), and exit
  -h, --help          this text

Exit status: 0 when no scenario failed (skips allowed), 1 when one failed, 2 for usage errors or
an unavailable target, 3 when a guard rail kept --target aws off live AWS (no --live, placeholder
credentials, or a pool in another region than the client's), before any call.
`;

/** Runs the command line; resolves to the exit status. `scenarios` is for tests. */
export async function cli(
  argv: readonly string[],
  io: CliIo,
  scenarios: readonly Scenario[] = allScenarios,
): Promise<number> {
  if (argv[0] === "diff") return diffCommand(argv.slice(1), io);
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        target: { type: "string", default: "memory" },
        url: { type: "string" },
        filter: { type: "string" },
        reporter: { type: "string", default: "pretty" },
        out: { type: "string" },
        transcript: { type: "string" },
        "code-source": { type: "string" },
        "email-domain": { type: "string" },
        "prevent-user-existence-errors": { type: "string" },
        "client-secret": { type: "boolean" },
        "confirm-with": { type: "string" },
        image: { type: "string" },
        "control-token": { type: "string" },
        concurrency: { type: "string" },
        live: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        list: { type: "boolean" },
        "print-trigger-map": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.stderr(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values["print-trigger-map"]) {
    io.stdout(triggerMapHelp(process.cwd()));
    return 0;
  }
  const selected = selectScenarios(scenarios, values.filter);
  if (values.list) {
    const width = Math.max(20, ...selected.map((s) => s.name.length));
    for (const s of selected)
      io.stdout(`${s.name.padEnd(width)} ${s.description}${s.needs?.length ? ` [needs ${s.needs.join(", ")}]` : ""}\n`);
    return 0;
  }
  const reporter = values.reporter as ReporterName;
  if (!["pretty", "json", "junit"].includes(reporter))
    return usage(io, `--reporter must be pretty, json or junit, not "${reporter}"`);
  if (selected.length === 0) return usage(io, `--filter "${values.filter}" matches no scenario (see --list)`);
  const pue = values["prevent-user-existence-errors"];
  if (pue !== undefined && pue !== "LEGACY" && pue !== "ENABLED")
    return usage(io, `--prevent-user-existence-errors must be LEGACY or ENABLED`);

  const confirmWith = values["confirm-with"];
  if (confirmWith !== undefined && confirmWith !== "code" && confirmWith !== "admin")
    return usage(io, "--confirm-with must be code or admin");
  const overrides: ClientOverrides = {
    ...(pue ? { PreventUserExistenceErrors: pue as PreventUserExistenceErrorTypes } : {}),
    ...(values["client-secret"] ? { GenerateSecret: true } : {}),
  };
  const controlToken = values["control-token"] ?? (io.env.COGNITO_TWIN_CONTROL_TOKEN || undefined);
  const emulatorOptions = {
    clientOverrides: overrides,
    ...(values["email-domain"] ? { emailDomain: values["email-domain"] } : {}),
    ...(confirmWith ? { confirmation: confirmWith as "code" | "admin" } : {}),
    ...(controlToken ? { controlToken } : {}),
  };
  const target = values.target!;
  // One at a time unless asked: on the memory target, on two cores, four at once measured no
  // faster (the run is CPU-bound); a url or container target, another process, gains a little.
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    return usage(io, `--concurrency must be a whole number of at least 1, not "${values.concurrency}"`);
  if (target !== "aws" && values.live) return usage(io, "--live is for --target aws (the other targets are local)");
  if (target !== "aws" && values["code-source"])
    return usage(io, "--code-source is for --target aws (emulators have an inbox)");
  if (target === "aws" && (pue || values["client-secret"] || confirmWith)) {
    return usage(
      io,
      "--prevent-user-existence-errors, --client-secret and --confirm-with configure emulator pools; the aws target uses your pool as it is",
    );
  }

  let opening: TargetOpening;
  try {
    switch (target) {
      case "memory":
        opening = await openMemoryTarget(emulatorOptions);
        break;
      case "url":
        opening = await openUrlTarget(values.url ?? io.env.COGNITO_ENDPOINT, emulatorOptions);
        break;
      case "container":
        opening = await openContainerTarget({ ...emulatorOptions, ...(values.image ? { image: values.image } : {}) });
        break;
      case "aws": {
        const codes = values["code-source"] ? parseCodeSource(values["code-source"], io.env) : undefined;
        opening = await openAwsTarget({
          env: io.env,
          live: values.live === true,
          ...(codes ? { codes } : {}),
          ...(values["email-domain"] ? { emailDomain: values["email-domain"] } : {}),
        });
        break;
      }
      default:
        return usage(io, `--target must be memory, url, container or aws, not "${target}"`);
    }
  } catch (e) {
    io.stderr(`scenarios: could not set up the ${target} target: ${(e as Error).message}\n`);
    return 2;
  }
  if (!opening.available) {
    if (opening.refused) {
      io.stderr(`scenarios: refusing to run on live AWS: ${opening.reason}\n`);
      return 3;
    }
    io.stderr(`scenarios: target ${target} is unavailable: ${opening.reason}\n`);
    return 2;
  }

  const color = Boolean(io.isTty) && !io.env.NO_COLOR;
  const verbose = values.verbose === true;
  // Progress goes to stdout with the pretty report, to stderr when stdout carries JSON or XML.
  const progressTo = reporter === "pretty" && !values.out ? io.stdout : io.stderr;
  const recorder = values.transcript ? new TranscriptRecorder() : undefined;
  let result;
  try {
    result = await runScenarios(opening.target, selected, {
      onEvent: progressPrinter(progressTo, { color: color && progressTo === io.stdout, verbose }),
      ...(recorder ? { transcript: recorder } : {}),
      ...(io.signal ? { signal: io.signal } : {}),
      concurrency,
    });
  } finally {
    await opening.target.close();
  }

  const report =
    reporter === "json"
      ? jsonReport(result)
      : reporter === "junit"
        ? junitReport(result)
        : prettyReport(result, { color: color && !values.out, verbose });
  if (values.out) {
    writeFileSync(values.out, report);
    io.stderr(`${reporter} report written to ${values.out}\n`);
    if (reporter !== "pretty") io.stderr(prettyReport(result, { color: false }).split("\n").slice(-2).join("\n"));
  } else {
    io.stdout(report);
  }
  if (recorder) {
    const t = recorder.transcript(target);
    writeFileSync(values.transcript!, `${JSON.stringify(t, null, 2)}\n`);
    io.stderr(`transcript of ${t.entries.length} calls written to ${values.transcript}\n`);
  }
  return result.summary.failed > 0 ? 1 : 0;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`scenarios: ${message}\n`);
  return 2;
}

function diffCommand(args: readonly string[], io: CliIo): number {
  if (args.length !== 2) return usage(io, "diff needs two transcript files: npm run scenarios -- diff A.json B.json");
  let a, b;
  try {
    a = asTranscript(JSON.parse(readFileSync(args[0]!, "utf8")), args[0]!);
    b = asTranscript(JSON.parse(readFileSync(args[1]!, "utf8")), args[1]!);
  } catch (e) {
    return usage(io, (e as Error).message);
  }
  const divergences = diffTranscripts(a, b);
  io.stdout(
    formatDiff(
      divergences,
      `${args[0]} (${a.target})`,
      `${args[1]} (${b.target})`,
      Math.max(a.entries.length, b.entries.length),
      uncompared(a, b),
    ),
  );
  return divergences.length > 0 ? 1 : 0;
}

/**
 * Shows the AWS SDK's Node version warning (ten lines, once per copy of the SDK loaded) as one
 * line, once; every other warning goes to Node's own `emitWarning` as before.
 */
export function condenseSdkNodeWarning(proc: Pick<NodeJS.Process, "emitWarning">, write: (text: string) => void): void {
  const original = proc.emitWarning.bind(proc);
  let shown = false;
  proc.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (text.startsWith("NodeVersionSupportWarning")) {
      // The first paragraph says it all; the rest asks to upgrade and links the announcement.
      const first = text.replace(/^NodeVersionSupportWarning:\s*/, "").split(/\n\s*\n/)[0] ?? "";
      if (!shown) write(`scenarios: note: ${first.replace(/\s+/g, " ").trim()}\n`);
      shown = true;
      return;
    }
    (original as (...args: unknown[]) => void)(warning, ...rest);
  }) as NodeJS.Process["emitWarning"];
}

// Run as a command (not when imported by tests).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  condenseSdkNodeWarning(process, (t) => process.stderr.write(t));
  const controller = new AbortController();
  process.once("SIGINT", () => {
    process.stderr.write(
      "\nscenarios: interrupted; finishing the running scenarios and their cleanup (Ctrl-C again to abort)\n",
    );
    controller.abort();
    process.once("SIGINT", () => process.exit(130));
  });
  const code = await cli(process.argv.slice(2), {
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY),
    signal: controller.signal,
  });
  process.exitCode = code;
}
