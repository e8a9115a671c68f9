// Contract transcripts: every SDK call of a run as its operation, the shape of its request and
// response (keys and value types, never values) or the error's type and message with ids,
// tokens, codes and times redacted. Two runs' transcripts diff to show where targets disagree.
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";

/** A value's shape: a type name, a kept literal (`=EMAIL`), an object of shapes, or a list. */
export type Shape = string | { readonly [key: string]: Shape } | readonly Shape[];

/** One SDK call. */
export interface TranscriptEntry {
  readonly scenario: string;
  readonly step: string;
  /** 1-based position of the call within its step. */
  readonly seq: number;
  readonly operation: string;
  readonly request: Shape;
  readonly outcome: "ok" | "error";
  readonly status?: number;
  readonly response?: Shape;
  readonly error?: { readonly type: string; readonly message: string };
}

/** A run's transcript file. */
export interface Transcript {
  readonly format: "cognito-twin-transcript";
  readonly version: 1;
  readonly target: string;
  /** How each scenario ended: calls of a scenario skipped on one side are not compared. */
  readonly scenarios?: Readonly<Record<string, "passed" | "failed" | "skipped">>;
  readonly entries: readonly TranscriptEntry[];
}

// Values that are enums or constants on the wire: their value is the contract, not a secret.
const LITERAL_KEYS = new Set([
  "AuthFlow",
  "ChallengeName",
  "DeliveryMedium",
  "AttributeName",
  "TokenType",
  "UserStatus",
  "UserConfirmed",
  "ExpiresIn",
  "PreventUserExistenceErrors",
  "ExplicitAuthFlows",
  "EnableTokenRevocation",
]);

/**
 * The shape of a value. Attribute lists (`[{Name, Value}]`) keep their names, sorted, since
 * which attributes come back is part of the contract; enum-like keys keep their values.
 */
export function shapeOf(value: unknown, key?: string): Shape {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (value instanceof Date) return "date";
  if (value instanceof Uint8Array) return "bytes";
  if (key !== undefined && LITERAL_KEYS.has(key)) {
    if (Array.isArray(value)) return `=${[...value].map(String).sort().join(",")}`;
    if (typeof value !== "object") return `=${String(value)}`;
  }
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isAttribute)) {
      return value.map((a: { Name: string; Value?: unknown }) => `${a.Name}:${shapeOf(a.Value) as string}`).sort();
    }
    // Items of one list usually share a shape: keep the distinct ones.
    const seen = new Map<string, Shape>();
    for (const item of value) {
      const s = shapeOf(item);
      seen.set(JSON.stringify(s), s);
    }
    return [...seen.values()];
  }
  if (typeof value === "object") {
    const out: Record<string, Shape> = {};
    for (const k of Object.keys(value as object).sort()) {
      if (k === "$metadata") continue;
      const v = (value as Record<string, unknown>)[k];
      if (v === undefined) continue;
      out[k] = shapeOf(v, k);
    }
    return out;
  }
  return typeof value;
}

function isAttribute(v: unknown): v is { Name: string; Value?: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { Name?: unknown }).Name === "string" &&
    Object.keys(v).every((k) => k === "Name" || k === "Value")
  );
}

/** Replaces ids, tokens, codes, emails and times in an error message with placeholders. */
export function redact(message: string, known: ReadonlyMap<string, string> = new Map()): string {
  let out = message;
  // Longest first, so an email is replaced before a shorter value inside it.
  for (const [value, label] of [...known].sort((a, b) => b[0].length - a[0].length)) {
    if (value) out = out.split(value).join(label);
  }
  return out
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*(\.[\w-]+\.[\w-]+)?/g, "<token>")
    .replace(/\b[a-z]{2}(-gov)?-[a-z]+-\d_[0-9A-Za-z]+\b/g, "<poolId>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>")
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, "<email>")
    .replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z?\b/g, "<time>")
    .replace(/\b[a-z0-9]{25,26}\b/g, "<clientId>")
    .replace(/\b\d{6,8}\b/g, "<code>");
}

/**
 * Records SDK calls through middleware on the client; the runner says which scenario and step
 * the calls belong to.
 *
 * @example
 * const rec = new TranscriptRecorder();
 * rec.attach(sdk);
 * rec.at("login", "sign in");
 */
export class TranscriptRecorder {
  private readonly entries: TranscriptEntry[] = [];
  private readonly outcomes: Record<string, "passed" | "failed" | "skipped"> = {};
  private scenario = "(setup)";
  private step = "(setup)";
  private seq = 0;
  /** Exact values to replace in messages (pool id, client id, user emails and subs). */
  readonly known = new Map<string, string>();

  /** Adds the recording middleware to a client (once). */
  attach(client: CognitoIdentityProviderClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
        const base = {
          scenario: this.scenario,
          step: this.step,
          seq: ++this.seq,
          operation,
          request: shapeOf(args.input),
        };
        try {
          const result = await next(args);
          const output = result.output as { $metadata?: { httpStatusCode?: number } };
          this.entries.push({
            ...base,
            outcome: "ok",
            ...(output.$metadata?.httpStatusCode ? { status: output.$metadata.httpStatusCode } : {}),
            response: shapeOf(output),
          });
          return result;
        } catch (e) {
          const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
          this.entries.push({
            ...base,
            outcome: "error",
            ...(err.$metadata?.httpStatusCode ? { status: err.$metadata.httpStatusCode } : {}),
            error: { type: String(err.name ?? "Error"), message: redact(String(err.message ?? ""), this.known) },
          });
          throw e;
        }
      },
      { step: "initialize", name: "scenarioTranscript", override: true },
    );
  }

  /** Calls from now on belong to this scenario and step. */
  at(scenario: string, step: string): void {
    if (scenario !== this.scenario || step !== this.step) this.seq = 0;
    this.scenario = scenario;
    this.step = step;
  }

  /** Records how a scenario ended. */
  ended(scenario: string, status: "passed" | "failed" | "skipped"): void {
    this.outcomes[scenario] = status;
  }

  /** The transcript so far. */
  transcript(target: string): Transcript {
    return {
      format: "cognito-twin-transcript",
      version: 1,
      target,
      scenarios: { ...this.outcomes },
      entries: [...this.entries],
    };
  }
}

/** One place two transcripts disagree. */
export interface Divergence {
  /** `scenario › step #n Operation` */
  readonly where: string;
  readonly field: string;
  readonly a: string;
  readonly b: string;
}

/** Checks that a parsed file is a transcript. */
export function asTranscript(value: unknown, name: string): Transcript {
  const t = value as Partial<Transcript> | null;
  if (t?.format !== "cognito-twin-transcript" || !Array.isArray(t.entries)) {
    throw new Error(`${name} is not a transcript (run the scenarios with --transcript FILE to make one)`);
  }
  return t as Transcript;
}

/** Scenarios skipped in either run (say, clock scenarios on live Cognito): not compared. */
function skippedScenarios(a: Transcript, b: Transcript): Set<string> {
  const names = new Set<string>();
  for (const t of [a, b])
    for (const [name, status] of Object.entries(t.scenarios ?? {})) if (status === "skipped") names.add(name);
  return names;
}

/** One line per scenario whose calls were not compared because a run skipped it. */
export function uncompared(a: Transcript, b: Transcript): string[] {
  return [...skippedScenarios(a, b)].map((name) => {
    const side = a.scenarios?.[name] === "skipped" ? (b.scenarios?.[name] === "skipped" ? "both runs" : "A") : "B";
    return `${name}: skipped in ${side}; its calls present in one run only are not compared`;
  });
}

/**
 * Where two transcripts diverge: calls present in one only, different operations, outcomes,
 * statuses, error types or messages, and request/response shapes, path by path. Calls that one
 * run lacks because it skipped the scenario are left out (see {@link uncompared}).
 */
export function diffTranscripts(a: Transcript, b: Transcript): Divergence[] {
  const key = (e: TranscriptEntry) => `${e.scenario} › ${e.step} #${e.seq}`;
  const mapA = new Map(a.entries.map((e) => [key(e), e]));
  const mapB = new Map(b.entries.map((e) => [key(e), e]));
  const keys = [...mapA.keys(), ...[...mapB.keys()].filter((k) => !mapA.has(k))];
  const skipped = skippedScenarios(a, b);
  const out: Divergence[] = [];
  for (const k of keys) {
    const ea = mapA.get(k);
    const eb = mapB.get(k);
    if (!ea || !eb) {
      const e = (ea ?? eb)!;
      if (skipped.has(e.scenario)) continue;
      out.push({
        where: `${k} ${e.operation}`,
        field: "call",
        a: ea ? describeEntry(ea) : "(no call)",
        b: eb ? describeEntry(eb) : "(no call)",
      });
      continue;
    }
    const where = `${k} ${ea.operation}`;
    if (ea.operation !== eb.operation) {
      out.push({ where, field: "operation", a: ea.operation, b: eb.operation });
      continue;
    }
    if (ea.outcome !== eb.outcome) {
      out.push({ where, field: "outcome", a: describeEntry(ea), b: describeEntry(eb) });
      continue;
    }
    if (ea.status !== eb.status)
      out.push({ where, field: "status", a: String(ea.status ?? "-"), b: String(eb.status ?? "-") });
    if (ea.error && eb.error) {
      if (ea.error.type !== eb.error.type) out.push({ where, field: "error.type", a: ea.error.type, b: eb.error.type });
      if (ea.error.message !== eb.error.message)
        out.push({ where, field: "error.message", a: ea.error.message, b: eb.error.message });
    }
    diffShapes("request", ea.request, eb.request, where, out);
    if (ea.response !== undefined || eb.response !== undefined)
      diffShapes("response", ea.response ?? {}, eb.response ?? {}, where, out);
  }
  return out;
}

function describeEntry(e: TranscriptEntry): string {
  return e.outcome === "ok" ? "ok" : `${e.error?.type}: ${e.error?.message}`;
}

function diffShapes(path: string, a: Shape, b: Shape, where: string, out: Divergence[]): void {
  const fa = flatten(a, path);
  const fb = flatten(b, path);
  for (const p of new Set([...fa.keys(), ...fb.keys()])) {
    const va = fa.get(p);
    const vb = fb.get(p);
    if (va !== vb) out.push({ where, field: p, a: va ?? "(absent)", b: vb ?? "(absent)" });
  }
}

function flatten(shape: Shape, path: string, out = new Map<string, string>()): Map<string, string> {
  if (typeof shape === "string") out.set(path, shape);
  else if (Array.isArray(shape)) {
    if (shape.every((s) => typeof s === "string")) out.set(path, `[${shape.join(", ")}]`);
    else
      shape.forEach((s, i) => {
        flatten(s, `${path}[${i}]`, out);
      });
  } else {
    const entries = Object.entries(shape as Record<string, Shape>);
    if (entries.length === 0) out.set(path, "{}");
    for (const [k, v] of entries) flatten(v, `${path}.${k}`, out);
  }
  return out;
}

/** Human-readable diff, with the notes of {@link uncompared} at the end. */
export function formatDiff(
  divergences: readonly Divergence[],
  nameA: string,
  nameB: string,
  compared: number,
  notes: readonly string[] = [],
): string {
  const tail = notes.length > 0 ? `\nNot compared:\n${notes.map((n) => `  ${n}`).join("\n")}\n` : "";
  if (divergences.length === 0) return `No divergence: ${compared} calls compared (${nameA} vs ${nameB}).\n${tail}`;
  const lines = [
    `${divergences.length} divergence${divergences.length > 1 ? "s" : ""} between A=${nameA} and B=${nameB}:`,
    "",
  ];
  let last = "";
  for (const d of divergences) {
    if (d.where !== last) {
      lines.push(d.where);
      last = d.where;
    }
    lines.push(`  ${d.field}`, `    A: ${d.a}`, `    B: ${d.b}`);
  }
  return `${lines.join("\n")}\n${tail}`;
}
