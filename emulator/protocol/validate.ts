// Input validation driven by the API model, with the messages AWS's Coral front end writes
// ("N validation errors detected: Value ... at '...' failed to satisfy constraint: ...").
// Wrong JSON types are a SerializationException, as on AWS's JSON 1.1 endpoints: Coral fails
// to deserialise before it checks constraints (docs/decisions/0001-protocol-errors.md).
import type { ServiceModel, ShapeDef } from "../model/index.js";

/** The outcome of validating one input. */
export type ValidationResult =
  | { ok: true }
  | { ok: false; kind: "serialization"; message: string }
  | { ok: false; kind: "constraint"; message: string };

class SerializationProblem extends Error {}

const MAX_DEPTH = 32;

/**
 * Shapes whose model pattern Cognito does not enforce at the front end. DomainType's pattern is
 * one DNS label, yet the same `Domain` member takes custom domains (`auth.example.com`): the
 * operation checks the name itself, with Cognito's own message (docs/decisions/0015).
 */
const PATTERN_NOT_ENFORCED: ReadonlySet<string> = new Set(["DomainType"]);

/**
 * Maps whose null values are dropped as absent rather than refused: the sign-in parameters,
 * which amazon-cognito-identity-js fills with `DEVICE_KEY: null` when it holds no device.
 */
const NULL_AS_ABSENT_MAPS: ReadonlySet<string> = new Set(["AuthParametersType", "ChallengeResponsesType"]);

/**
 * How checkStrict differs from validate: paths as a file writes them (`Clients[1].ExplicitAuthFlows[0]`),
 * members the shape does not have refused, and members the caller fills in itself (`omit`) refused too.
 */
interface StrictMode {
  omit: ReadonlySet<string>;
  /** Keys of the top structure the caller checks itself: skipped here, and suggested for near misses. */
  handled: readonly string[];
}

/** Validates JSON input against the model's shapes; regexes are compiled once per pattern. */
export class ModelValidator {
  private readonly patterns = new Map<string, RegExp | null>();
  /** Set while checkStrict runs (validation is synchronous, so one call at a time). */
  private strict: StrictMode | undefined;

  /** Any service's model: only its shapes are read (the user-pool and the identity-pool API). */
  constructor(private readonly model: Pick<ServiceModel, "shapes">) {}

  /**
   * Checks `value` against the model's shape `shapeName` with the same rules as validate, for
   * input that is not a request (the --config seed file): every problem is listed with its path
   * in the file's own spelling (`path` is where `value` sits, `UserPools[0]`), a wrong JSON type
   * is one problem like the others (the first one ends the check), and a key the shape has no
   * member for is a problem, with the member of the same spelling in another case suggested.
   * Members in `omit` are refused as unknown and never required (the caller supplies them);
   * keys in `handled` are the caller's own, left alone (and suggested for keys spelt nearly so).
   */
  checkStrict(
    shapeName: string,
    value: unknown,
    path: string,
    omit: readonly string[] = [],
    handled: readonly string[] = [],
  ): string[] {
    const problems: string[] = [];
    this.strict = { omit: new Set(omit), handled };
    try {
      this.checkValue(shapeName, value, path, problems, 0);
    } catch (e) {
      if (e instanceof SerializationProblem) problems.push(e.message);
      else throw e;
    } finally {
      this.strict = undefined;
    }
    return problems;
  }

  /** Checks `input` against the input shape of `operation`. */
  validate(inputShape: string | undefined, input: unknown): ValidationResult {
    if (!inputShape) return { ok: true };
    const problems: string[] = [];
    try {
      this.checkStructure(inputShape, input, "", problems, 0, true);
    } catch (e) {
      if (e instanceof SerializationProblem) return { ok: false, kind: "serialization", message: e.message };
      throw e;
    }
    if (problems.length === 0) return { ok: true };
    const n = problems.length;
    return {
      ok: false,
      kind: "constraint",
      message: `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`,
    };
  }

  private shape(name: string): ShapeDef {
    const s = this.model.shapes[name];
    if (!s) throw new Error(`model has no shape ${name}`);
    return s;
  }

  private checkStructure(
    name: string,
    value: unknown,
    path: string,
    problems: string[],
    depth: number,
    top = false,
  ): void {
    const shape = this.shape(name);
    if (shape.document) return;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new SerializationProblem(
        top ? "Start of structure or map found where not expected." : `Expected an object at '${path}'.`,
      );
    }
    const obj = value as Record<string, unknown>;
    const strict = this.strict;
    const omitted = strict && depth === 0 ? strict.omit : undefined;
    const members = Object.fromEntries(Object.entries(shape.members ?? {}).filter(([m]) => !omitted?.has(m)));
    const required = shape.required ?? [];
    if (strict) {
      const handled = depth === 0 ? strict.handled : [];
      for (const key of Object.keys(obj)) {
        if (Object.hasOwn(members, key) || handled.includes(key)) continue;
        const near = closestName(key, [...Object.keys(members), ...handled]);
        problems.push(
          `Unknown key '${path ? `${path}.` : ""}${key}'${near ? `: did you mean '${near}'?` : omitted?.has(key) ? ": it is filled in for you" : ""}`,
        );
      }
    }
    for (const [member, ref] of Object.entries(members)) {
      const memberPath = strict
        ? path
          ? `${path}.${member}`
          : member
        : path
          ? `${path}.${lowerFirst(member)}`
          : lowerFirst(member);
      const v = Object.hasOwn(obj, member) ? obj[member] : undefined;
      if (v === undefined || v === null) {
        if (required.includes(member))
          problems.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
        // Coral deserialises a null member as absent; dropping it means operations never see a
        // null where the SDK types promise a value or undefined.
        if (v === null) delete obj[member];
        continue;
      }
      this.checkValue(ref.shape, v, memberPath, problems, depth + 1);
    }
  }

  private checkValue(name: string, value: unknown, path: string, problems: string[], depth: number): void {
    if (depth > MAX_DEPTH) throw new SerializationProblem(`Input nests deeper than ${MAX_DEPTH} levels at '${path}'.`);
    const shape = this.shape(name);
    switch (shape.type) {
      case "structure":
        this.checkStructure(name, value, path, problems, depth);
        return;
      case "string": {
        if (typeof value !== "string") throw new SerializationProblem(typeMismatch("string", value, path));
        this.checkLength(shape, name, value.length, value, path, problems);
        if (shape.pattern !== undefined && !PATTERN_NOT_ENFORCED.has(name) && !this.matches(shape.pattern, value)) {
          problems.push(
            `${describe(shape, value, path, name)} failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`,
          );
        }
        if (shape.enum && !shape.enum.includes(value)) {
          problems.push(
            `${describe(shape, value, path, name)} failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(", ")}]`,
          );
        }
        return;
      }
      case "integer":
      case "long": {
        if (typeof value !== "number" || !Number.isInteger(value))
          throw new SerializationProblem(typeMismatch(shape.type, value, path));
        if (shape.min !== undefined && value < shape.min) {
          problems.push(
            `${describe(shape, value, path, name)} failed to satisfy constraint: Member must have value greater than or equal to ${shape.min}`,
          );
        }
        if (shape.max !== undefined && value > shape.max) {
          problems.push(
            `${describe(shape, value, path, name)} failed to satisfy constraint: Member must have value less than or equal to ${shape.max}`,
          );
        }
        return;
      }
      case "boolean":
        if (typeof value !== "boolean") throw new SerializationProblem(typeMismatch("boolean", value, path));
        return;
      case "timestamp":
        if (typeof value !== "number" || !Number.isFinite(value))
          throw new SerializationProblem(typeMismatch("timestamp (epoch seconds)", value, path));
        return;
      case "blob":
        if (typeof value !== "string")
          throw new SerializationProblem(typeMismatch("blob (base64 string)", value, path));
        this.checkLength(shape, name, Buffer.byteLength(value, "base64"), value, path, problems);
        return;
      case "list": {
        if (!Array.isArray(value)) throw new SerializationProblem(typeMismatch("list", value, path));
        this.checkLength(shape, name, value.length, value, path, problems);
        const member = shape.member?.shape;
        if (!member) return;
        const memberType = this.shape(member).type;
        if (this.strict) {
          // A file's entries are reported where they are, each on its own.
          value.forEach((item, i) => {
            if (item === null || item === undefined)
              problems.push(`Value null at '${path}[${i}]' failed to satisfy constraint: Member must not be null`);
            else this.checkValue(member, item, `${path}[${i}]`, problems, depth + 1);
          });
          return;
        }
        if (memberType === "structure" || memberType === "list" || memberType === "map") {
          value.forEach((item, i) => {
            // The model's lists are not sparse: operations index their items without checks.
            if (item === null || item === undefined) {
              problems.push(
                `Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`,
              );
              return;
            }
            this.checkValue(member, item, `${path}.${i + 1}.member`, problems, depth + 1);
          });
          return;
        }
        // Coral reports a bad scalar inside a list once, at the list, with the inner constraint
        // wrapped: "Value '[X]' at 'explicitAuthFlows' failed to satisfy constraint: Member
        // must satisfy constraint: [Member must satisfy enum value set: [...]]".
        const inner: string[] = [];
        for (const [i, item] of value.entries()) {
          if (item === null || item === undefined) {
            problems.push(
              `Value null at '${path}.${i + 1}.member' failed to satisfy constraint: Member must not be null`,
            );
            continue;
          }
          const itemProblems: string[] = [];
          this.checkValue(member, item, "", itemProblems, depth + 1);
          for (const p of itemProblems) {
            const constraint = p.slice(
              p.indexOf("failed to satisfy constraint: ") + "failed to satisfy constraint: ".length,
            );
            if (!inner.includes(constraint)) inner.push(constraint);
          }
        }
        for (const constraint of inner) {
          problems.push(
            `${describe(shape, value, path, name)} failed to satisfy constraint: Member must satisfy constraint: [${constraint}]`,
          );
        }
        return;
      }
      case "map": {
        if (typeof value !== "object" || value === null || Array.isArray(value))
          throw new SerializationProblem(typeMismatch("map", value, path));
        const entries = Object.entries(value as Record<string, unknown>);
        this.checkLength(shape, name, entries.length, value, path, problems);
        const keyShape = shape.key?.shape;
        const valueShape = shape.value?.shape;
        for (const [k, v] of entries) {
          if (this.strict) {
            if (keyShape) this.checkValue(keyShape, k, `${path} key '${k}'`, problems, depth + 1);
            if (v === null || v === undefined)
              problems.push(`Value null at '${path}.${k}' failed to satisfy constraint: Member must not be null`);
            else if (valueShape) this.checkValue(valueShape, v, `${path}.${k}`, problems, depth + 1);
            continue;
          }
          if (keyShape) this.checkValue(keyShape, k, `${path}.key`, problems, depth + 1);
          // AuthParameters and ChallengeResponses take a null value as no value: the clients AWS
          // wrote send one (amazon-cognito-identity-js's `DEVICE_KEY: null` on a refresh without a
          // stored device and on its retry after `Device does not exist.`) and Cognito answers them
          // (docs/decisions/0021-passkeys.md, its 2026-12-02 section).
          if (v === null && NULL_AS_ABSENT_MAPS.has(name)) {
            delete (value as Record<string, unknown>)[k];
            continue;
          }
          if (v === null || v === undefined)
            problems.push(`Value null at '${path}.${k}.member' failed to satisfy constraint: Member must not be null`);
          else if (valueShape) this.checkValue(valueShape, v, `${path}.${k}.member`, problems, depth + 1);
        }
        return;
      }
    }
  }

  private checkLength(
    shape: ShapeDef,
    name: string,
    length: number,
    value: unknown,
    path: string,
    problems: string[],
  ): void {
    if (shape.min !== undefined && length < shape.min) {
      problems.push(
        `${describe(shape, value, path, name)} failed to satisfy constraint: Member must have length greater than or equal to ${shape.min}`,
      );
    }
    if (shape.max !== undefined && length > shape.max) {
      problems.push(
        `${describe(shape, value, path, name)} failed to satisfy constraint: Member must have length less than or equal to ${shape.max}`,
      );
    }
  }

  private matches(pattern: string, value: string): boolean {
    let re = this.patterns.get(pattern);
    if (re === undefined) {
      re = compileJavaPattern(pattern);
      this.patterns.set(pattern, re);
    }
    return re === null || re.test(value);
  }
}

/** Model patterns are Java regexes matched against the whole value. */
function compileJavaPattern(pattern: string): RegExp | null {
  for (const flags of ["u", "v", ""]) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flavour
    }
  }
  return null; // a pattern JS cannot express is not enforced rather than rejecting valid input
}

/**
 * The name in `names` that `key` most likely misspells: the same in another case, else one at
 * most two edits away (for names of four letters or more); undefined when none is that close.
 */
export function closestName(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = names.find((n) => n.toLowerCase() === lower);
  if (same !== undefined || key.length < 4) return same;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Coral prints sensitive values as `Value at '...'`, everything else Java-toString'd. Client ids
 * are marked sensitive in newer models, yet captured Cognito messages still print them.
 */
const SHOWN_DESPITE_SENSITIVE = new Set(["ClientIdType"]);

function describe(shape: ShapeDef, value: unknown, path: string, name: string): string {
  if (shape.sensitive && !SHOWN_DESPITE_SENSITIVE.has(name)) return `Value at '${path}'`;
  return `Value '${javaString(value)}' at '${path}'`;
}

function javaString(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(javaString).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(", ")}}`;
  }
  const s = String(value);
  return s.length > 256 ? `${s.slice(0, 256)}...` : s;
}

function typeMismatch(expected: string, value: unknown, path: string): string {
  const got = value === null ? "null" : Array.isArray(value) ? "list" : typeof value;
  return `Expected ${expected} at '${path}' but found ${got}.`;
}
