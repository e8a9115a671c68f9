// The trigger workloads (issue 14), cognito-twin only: SignUp and InitiateAuth on a pool without
// triggers and on the same pool with an in-process pre sign-up and a version-2 pre token
// generation trigger, and what one invocation adds, timed by the emulator's own invocation list.
import { join } from "node:path";
import { api, freePort, type Running, startServer } from "./api.js";
import type { Job } from "./load.js";
import type { Tool } from "./tools.js";
import { scratchDir } from "./tools.js";
import {
  type Budget,
  confirmedUser,
  createFixture,
  type Fixture,
  type Measured,
  PASSWORD,
  type RunJob,
} from "./workloads.js";

/** What one run of the trigger workloads measured. */
export interface TriggerRun {
  signUpPlainC16: Measured;
  signUpTriggerC16: Measured;
  initiateAuthPlainC16: Measured;
  initiateAuthTriggerC16: Measured;
  /** Median time inside the emulator's trigger invocation, in µs (c1 calls). */
  preSignUpInvokeUs: number;
  preTokenInvokeUs: number;
}

const PRE_SIGN_UP = "arn:aws:lambda:us-east-1:000000000000:function:bench-pre-sign-up";
const PRE_TOKEN = "arn:aws:lambda:us-east-1:000000000000:function:bench-pre-token";
const USERS = 16;

/** Runs the trigger workloads on a fresh cognito-twin with the bench's trigger module mapped. */
export async function measureTriggers(
  root: string,
  tool: Tool,
  runJob: RunJob,
  budget: Budget,
  log: (line: string) => void,
): Promise<TriggerRun> {
  const handlers = join(root, "bench", "triggers", "handlers.mjs");
  const scratch = scratchDir(tool.name);
  const port = await freePort();
  const launch = tool.launch(port, scratch.dir);
  let server: Running | undefined;
  try {
    server = await startServer(
      {
        ...launch,
        args: [
          ...launch.args,
          "--trigger",
          `bench-pre-sign-up=${handlers}#preSignUp,bench-pre-token=${handlers}#preTokenGeneration`,
        ],
      },
      port,
    );
    const url = server.url;
    const plain = await createFixture(url);
    const triggered = await createFixture(url);
    await api(url, "UpdateUserPool", {
      UserPoolId: triggered.poolId,
      AutoVerifiedAttributes: ["email"],
      LambdaConfig: {
        PreSignUp: PRE_SIGN_UP,
        PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: PRE_TOKEN },
      },
    });
    const running = server;
    const step = async (label: string, job: Job): Promise<Measured> => {
      const cpu0 = running.cpuSeconds();
      const r = await runJob(job);
      const serverCpuUs = ((running.cpuSeconds() - cpu0) / r.sent) * 1e6;
      log(
        `  ${label}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, server CPU ${Math.round(serverCpuUs)} us/request${r.errors ? `, ${r.errors} errors (${r.firstError})` : ""}`,
      );
      return { ...r, serverCpuUs };
    };
    const base = { url, signed: false, seconds: budget.seconds, warmupSeconds: budget.warmupSeconds };
    const signUp = (f: Fixture, prefix: string) =>
      JSON.stringify({
        ClientId: f.clientId,
        Username: `${prefix}{i}@bench.test`,
        Password: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: `${prefix}{i}@bench.test` },
          { Name: "name", Value: "Sign Up {i}" },
        ],
      });
    // An unmeasured round first: the first load a fresh process takes runs cold (JIT, heap growth),
    // and would make whichever pool came first look slower.
    await runJob({ ...base, operation: "SignUp", bodies: [signUp(plain, "warm")], concurrency: 16, start: 0 });
    const signUpPlainC16 = await step("SignUp c16, no trigger", {
      ...base,
      operation: "SignUp",
      bodies: [signUp(plain, "plain")],
      concurrency: 16,
      start: 0,
    });
    const signUpTriggerC16 = await step("SignUp c16, pre sign-up trigger", {
      ...base,
      operation: "SignUp",
      bodies: [signUp(triggered, "trig")],
      concurrency: 16,
      start: 0,
    });
    const signIns = async (f: Fixture, prefix: string) => {
      const bodies: string[] = [];
      for (let k = 0; k < USERS; k++) {
        const email = `${prefix}-signin${k}@bench.test`;
        await confirmedUser(url, f, email);
        bodies.push(
          JSON.stringify({
            AuthFlow: "USER_PASSWORD_AUTH",
            ClientId: f.clientId,
            AuthParameters: { USERNAME: email, PASSWORD },
          }),
        );
      }
      return bodies;
    };
    const initiateAuthPlainC16 = await step("InitiateAuth c16, no trigger", {
      ...base,
      operation: "InitiateAuth",
      bodies: await signIns(plain, "plain"),
      concurrency: 16,
    });
    const triggeredSignIns = await signIns(triggered, "trig");
    const initiateAuthTriggerC16 = await step("InitiateAuth c16, pre token generation v2", {
      ...base,
      operation: "InitiateAuth",
      bodies: triggeredSignIns,
      concurrency: 16,
    });

    // One invocation at a time: the emulator times each (services/triggers.ts), so the figure is
    // what a trigger adds inside the operation, free of the load generator and of scrypt's noise.
    await fetch(`${url}/_twin/triggers`, { method: "DELETE" });
    for (let k = 0; k < 300; k++) {
      await api(url, "SignUp", JSON.parse(signUp(triggered, `c1-${k}-`).replaceAll("{i}", "x")), false);
      await api(url, "InitiateAuth", JSON.parse(triggeredSignIns[k % USERS]!), false);
    }
    const listed = (await (await fetch(`${url}/_twin/triggers`)).json()) as {
      invocations: { triggerSource: string; durationMs: number }[];
    };
    const medianUs = (source: string) => {
      const v = listed.invocations
        .filter((i) => i.triggerSource.startsWith(source))
        .map((i) => i.durationMs * 1000)
        .sort((a, b) => a - b);
      return v.length > 0 ? v[Math.floor(v.length / 2)]! : Number.NaN;
    };
    const preSignUpInvokeUs = medianUs("PreSignUp_");
    const preTokenInvokeUs = medianUs("TokenGeneration_");
    log(
      `  one invocation, c1: pre sign-up ${preSignUpInvokeUs.toFixed(1)} us, pre token generation v2 ${preTokenInvokeUs.toFixed(1)} us`,
    );
    return {
      signUpPlainC16,
      signUpTriggerC16,
      initiateAuthPlainC16,
      initiateAuthTriggerC16,
      preSignUpInvokeUs,
      preTokenInvokeUs,
    };
  } finally {
    await server?.stop();
    scratch.remove();
  }
}
