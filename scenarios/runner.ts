// Runs scenarios against an opened target, one at a time or a few at once: builds each
// scenario's context, times its steps, cleans up its users even when it fails, and reports
// progress as it goes, always in the scenarios' order.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminDeleteUserCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Hono } from "hono";
import { createAuthApp } from "../client/app.js";
import { CognitoAuthClient } from "../client/cognito-client.js";
import { type AuthEnv, createAccessTokenVerifier } from "../client/middleware.js";
import type { OpenTarget } from "./targets/types.js";
import type { TranscriptRecorder } from "./transcript.js";
import {
  type AdminHelpers,
  type FaultControl,
  type RunEvent,
  type RunResult,
  type Scenario,
  type ScenarioContext,
  type ScenarioResult,
  type ScenarioUser,
  SkipStep,
  type StepResult,
  type TriggerFunctions,
  type TriggerOffer,
} from "./types.js";

/** How a run behaves. */
export interface RunOptions {
  /** Only scenarios whose name contains one of these comma-separated parts (case-insensitive). */
  readonly filter?: string;
  readonly onEvent?: (event: RunEvent) => void;
  /** Records every SDK call; attached to the target's client by the runner. */
  readonly transcript?: TranscriptRecorder;
  /** Stops before the next scenario (the current one finishes and cleans up). */
  readonly signal?: AbortSignal;
  /**
   * How many scenarios run at once (default 1). Scenarios are independent (own users, own
   * cleanup), so this only overlaps their waits. Scenarios that need the clock move the target's
   * time, so each runs alone: the ones before it finish first, the ones after it wait. A run that
   * keeps a transcript is always one at a time, so the calls are recorded in order.
   */
  readonly concurrency?: number;
}

/** The scenarios a filter selects. */
export function selectScenarios(all: readonly Scenario[], filter: string | undefined): Scenario[] {
  if (!filter) return [...all];
  const parts = filter
    .toLowerCase()
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  return all.filter((s) => parts.some((p) => s.name.toLowerCase().includes(p)));
}

/** Runs the (filtered) scenarios in order and returns every result. */
export async function runScenarios(
  target: OpenTarget,
  scenarios: readonly Scenario[],
  options: RunOptions = {},
): Promise<RunResult> {
  const emit = options.onEvent ?? (() => undefined);
  const selected = selectScenarios(scenarios, options.filter);
  const rec = options.transcript;
  if (rec) {
    rec.attach(target.cognito);
    rec.known.set(target.poolId, "<poolId>");
    rec.known.set(target.clientId, "<clientId>");
    if (target.clientSecret) rec.known.set(target.clientSecret, "<secret>");
  }
  const client = new CognitoAuthClient(
    {
      region: target.region,
      userPoolId: target.poolId,
      clientId: target.clientId,
      ...(target.clientSecret ? { clientSecret: target.clientSecret } : {}),
      ...(target.endpoint ? { endpoint: target.endpoint } : {}),
    },
    { sdk: target.cognito },
  );
  // The app's internal errors go to the scenario whose request caused them (the async context of
  // its ctx.app.fetch); one seen outside any (none is expected) counts against every running one.
  const errorSink = new AsyncLocalStorage<unknown[]>();
  const running = new Set<unknown[]>();
  // One app per run, so its JWKS cache is shared as in a real deployment.
  const app = createAuthApp({
    cognito: client,
    verifier: createAccessTokenVerifier(
      {
        region: target.region,
        userPoolId: target.poolId,
        clientId: target.clientId,
        issuer: target.issuer,
        jwksUrl: target.jwksUrl,
      },
      target.clock ? { now: () => target.clock!.now() } : {},
    ),
    logError: (e) => {
      const sink = errorSink.getStore();
      if (sink) sink.push(e);
      else for (const errors of running) errors.push(e);
    },
  });

  // Asked once per run, when the first scenario that needs the trigger functions starts.
  let triggerOffer: Promise<TriggerOffer> | undefined;
  const triggers = (): Promise<TriggerOffer> =>
    (triggerOffer ??= target.triggers
      ? target.triggers().catch((e: unknown) => ({ unavailable: `the trigger probe failed: ${message(e)}` }))
      : Promise.resolve({ unavailable: `the ${target.name} target runs no trigger functions` }));

  const startedAt = new Date();
  const t0 = performance.now();
  emit({ type: "run-start", target: target.name, description: target.description, scenarios: selected.length });
  const results: ScenarioResult[] = new Array<ScenarioResult>(selected.length);
  const ordered = orderedEvents(selected.length, emit);

  const runAt = async (i: number): Promise<void> => {
    const scenario = selected[i]!;
    const emitOne = ordered.emitter(i);
    emitOne({ type: "scenario-start", name: scenario.name });
    let result: ScenarioResult;
    if (options.signal?.aborted) {
      result = { name: scenario.name, status: "skipped", ms: 0, steps: [], reason: "the run was interrupted" };
    } else {
      const appErrors: unknown[] = [];
      running.add(appErrors);
      try {
        result = await errorSink.run(appErrors, () =>
          runOne(target, scenario, client, app, rec, emitOne, appErrors, triggers),
        );
      } catch (e) {
        // runOne reports a scenario's own failures; this is the runner failing around it.
        result = { name: scenario.name, status: "failed", ms: 0, steps: [], error: message(e) };
      } finally {
        running.delete(appErrors);
      }
    }
    results[i] = result;
    rec?.ended(scenario.name, result.status);
    emitOne({ type: "scenario-end", result });
    ordered.finished(i);
  };

  const limit = rec ? 1 : Math.max(1, Math.floor(options.concurrency ?? 1));
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < selected.length; i++) {
    // What these change (the clock, fault rules) would reach the scenarios running beside them.
    const alone = selected[i]!.needs?.some((n) => n === "clock" || n === "faults") ?? false;
    while (inFlight.size >= (alone ? 1 : limit)) await Promise.race(inFlight);
    const p: Promise<void> = runAt(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (alone) await p;
  }
  await Promise.all(inFlight);
  const count = (s: ScenarioResult["status"]) => results.filter((r) => r.status === s).length;
  const result: RunResult = {
    target: target.name,
    description: target.description,
    startedAt: startedAt.toISOString(),
    ms: performance.now() - t0,
    scenarios: results,
    summary: { passed: count("passed"), failed: count("failed"), skipped: count("skipped"), total: results.length },
  };
  emit({ type: "run-end", result });
  return result;
}

/**
 * Progress events in the scenarios' order although they may run at once: the first unfinished
 * scenario's events pass straight through, later ones are held until it ends.
 */
function orderedEvents(count: number, emit: (e: RunEvent) => void) {
  const held: RunEvent[][] = Array.from({ length: count }, () => []);
  const done: boolean[] = new Array<boolean>(count).fill(false);
  let head = 0;
  return {
    emitter: (i: number) => (e: RunEvent) => {
      if (i === head) emit(e);
      else held[i]!.push(e);
    },
    finished(i: number): void {
      done[i] = true;
      while (head < count && done[head]) {
        head++;
        if (head < count) for (const e of held[head]!.splice(0)) emit(e);
      }
    },
  };
}

/** Marks the end of a scenario by a step that failed or skipped (already recorded). */
class StepEnded extends Error {
  constructor(override readonly cause: unknown) {
    super("step ended the scenario");
  }
}

async function runOne(
  target: OpenTarget,
  scenario: Scenario,
  client: CognitoAuthClient,
  app: Hono<AuthEnv>,
  rec: TranscriptRecorder | undefined,
  emit: (e: RunEvent) => void,
  appErrors: unknown[],
  triggers: () => Promise<TriggerOffer>,
): Promise<ScenarioResult> {
  const t0 = performance.now();
  const steps: StepResult[] = [];
  const users: ScenarioUser[] = [];
  const groups: string[] = [];
  let notes: string[] | undefined;
  let inStep = false;
  const record = (s: StepResult) => {
    steps.push(s);
    emit({ type: "step-end", scenario: scenario.name, step: s });
  };
  if (scenario.needs?.includes("clock") && !target.clock) {
    const reason = `the ${target.name} target cannot move time, which this scenario needs`;
    return { name: scenario.name, status: "skipped", ms: 0, steps, reason };
  }
  if (scenario.needs?.includes("faults") && !target.faults) {
    const reason = `the ${target.name} target takes no fault rules, which this scenario needs`;
    return { name: scenario.name, status: "skipped", ms: 0, steps, reason };
  }
  // The rules a scenario sets are removed when it ends, whatever happened.
  const faultIds: string[] = [];
  const faults: FaultControl | undefined = target.faults && {
    add: async (rule) => {
      const id = await target.faults!.add(rule);
      faultIds.push(id);
      return id;
    },
    fired: (id) => target.faults!.fired(id),
    remove: (id) => target.faults!.remove(id),
  };
  let functions: TriggerFunctions | undefined;
  if (scenario.needs?.includes("triggers")) {
    rec?.at(scenario.name, "(trigger probe)");
    const offer = await triggers();
    if ("unavailable" in offer)
      return { name: scenario.name, status: "skipped", ms: 0, steps, reason: offer.unavailable };
    functions = offer;
  }

  const admin: AdminHelpers = {
    async confirmSignUp(username) {
      await target.cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: target.poolId, Username: username }));
    },
    async deleteUser(username) {
      try {
        await target.cognito.send(new AdminDeleteUserCommand({ UserPoolId: target.poolId, Username: username }));
      } catch (e) {
        if ((e as Error).name !== "UserNotFoundException") throw e;
      }
    },
    async addToGroup(username, group) {
      try {
        await target.cognito.send(
          new CreateGroupCommand({
            UserPoolId: target.poolId,
            GroupName: group,
            Description: "made by the cognito-twin scenarios",
          }),
        );
        groups.push(group);
      } catch (e) {
        if ((e as Error).name !== "GroupExistsException") throw e;
      }
      await target.cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: target.poolId, Username: username, GroupName: group }),
      );
    },
  };

  const ctx: ScenarioContext = {
    cognito: target.cognito,
    client,
    region: target.region,
    poolId: target.poolId,
    clientId: target.clientId,
    ...(target.clientSecret ? { clientSecret: target.clientSecret } : {}),
    issuer: target.issuer,
    jwksUrl: target.jwksUrl,
    domain: target.domain ?? { unavailable: `the ${target.name} target offers no domain` },
    codes: target.codes,
    ...(target.clock ? { clock: target.clock } : {}),
    ...(functions ? { triggers: functions } : {}),
    ...(target.social ? { social: target.social } : {}),
    ...(faults ? { faults } : {}),
    app: { fetch: async (path, init) => app.request(path, init) },
    admin,
    newUser(label = "user") {
      const tag = randomBytes(4).toString("hex");
      const user: ScenarioUser = {
        email: `${target.userPrefix}${slug(scenario.name)}-${slug(label)}-${tag}@${target.emailDomain}`,
        password: `Scn-${randomBytes(6).toString("hex")}-Aa1!`,
        name: `Scenario ${label}`,
      };
      users.push(user);
      rec?.known.set(user.email, "<email>");
      return user;
    },
    async signUp(user) {
      const r = await client.signUp(user);
      if (!r.ok) throw new Error(`SignUp of ${user.email} failed: ${r.error.type}: ${r.error.message}`);
      user.sub = r.value.userSub;
      rec?.known.set(r.value.userSub, "<sub>");
    },
    async confirm(user) {
      if (target.confirmation === "admin") {
        await admin.confirmSignUp(user.email);
        return "admin";
      }
      const code = await target.codes.code({
        poolId: target.poolId,
        email: user.email,
        ...(user.sub ? { username: user.sub } : {}),
        reason: "SignUp",
      });
      const r = await client.confirmSignUp(user.email, code);
      if (!r.ok) throw new Error(`ConfirmSignUp of ${user.email} failed: ${r.error.type}: ${r.error.message}`);
      return "code";
    },
    async confirmedUser(label) {
      const user = ctx.newUser(label);
      await ctx.signUp(user);
      await ctx.confirm(user);
      return user;
    },
    async step(name, fn) {
      if (inStep) throw new Error(`step "${name}" started inside another step`);
      inStep = true;
      notes = [];
      rec?.at(scenario.name, name);
      const s0 = performance.now();
      const errorsBefore = appErrors.length;
      try {
        const value = await fn();
        if (appErrors.length > errorsBefore)
          throw new Error(`the client app failed internally: ${String(appErrors[errorsBefore])}`);
        record({ name, status: "passed", ms: performance.now() - s0, ...(notes.length ? { notes } : {}) });
        return value;
      } catch (e) {
        const ms = performance.now() - s0;
        if (e instanceof SkipStep)
          record({ name, status: "skipped", ms, reason: e.message, ...(notes.length ? { notes } : {}) });
        else record({ name, status: "failed", ms, error: message(e), ...(notes.length ? { notes } : {}) });
        throw new StepEnded(e);
      } finally {
        inStep = false;
        notes = undefined;
        rec?.at(scenario.name, "(between steps)");
      }
    },
    skip(reason) {
      throw new SkipStep(reason);
    },
    note(text) {
      notes?.push(text);
    },
  };

  let status: ScenarioResult["status"] = "passed";
  let error: string | undefined;
  let reason: string | undefined;
  try {
    await scenario.run(ctx);
  } catch (e) {
    const cause = e instanceof StepEnded ? e.cause : e;
    if (cause instanceof SkipStep) {
      status = "skipped";
      reason = cause.message;
    } else {
      status = "failed";
      error = message(cause);
      if (!(e instanceof StepEnded)) record({ name: "(outside steps)", status: "failed", ms: 0, error });
    }
  }

  // Cleanup runs whatever happened above: fault rules first (one could stand in the cleanup's
  // way), and throwaway users must not outlive the run.
  const faultProblems: string[] = [];
  for (const id of faultIds) {
    try {
      await target.faults!.remove(id);
    } catch (e) {
      faultProblems.push(`fault rule ${id}: ${message(e)}`);
    }
  }
  if (faultProblems.length > 0) {
    const text = `cleanup left ${faultProblems.length} fault rule(s) behind: ${faultProblems.join("; ")}`;
    record({ name: "cleanup (fault rules)", status: "failed", ms: 0, error: text });
    if (status !== "failed") error = text;
    status = "failed";
  }
  if (users.length > 0 || groups.length > 0) {
    rec?.at(scenario.name, "cleanup");
    const c0 = performance.now();
    const problems: string[] = [];
    for (const user of users) {
      try {
        await admin.deleteUser(user.sub ?? user.email);
      } catch (e) {
        problems.push(`${user.email}: ${message(e)}`);
      }
    }
    for (const group of groups) {
      try {
        await target.cognito.send(new DeleteGroupCommand({ UserPoolId: target.poolId, GroupName: group }));
      } catch (e) {
        problems.push(`group ${group}: ${message(e)}`);
      }
    }
    const ms = performance.now() - c0;
    if (problems.length > 0) {
      const text = `cleanup left ${problems.length} item(s) behind: ${problems.join("; ")}`;
      record({ name: "cleanup", status: "failed", ms, error: text });
      if (status !== "failed") error = text;
      status = "failed";
    } else {
      record({
        name: "cleanup",
        status: "passed",
        ms,
        notes: [`deleted ${users.length} user(s)${groups.length ? ` and ${groups.length} group(s)` : ""}`],
      });
    }
  }
  return {
    name: scenario.name,
    status,
    ms: performance.now() - t0,
    steps,
    ...(error !== undefined ? { error } : {}),
    ...(reason !== undefined ? { reason } : {}),
  };
}

function message(e: unknown): string {
  if (e instanceof Error)
    return e.name === "Error" || e.name === "ExpectationFailed" ? e.message : `${e.name}: ${e.message}`;
  return String(e);
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 20);
}
