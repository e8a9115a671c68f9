// How a target comes to run the trigger scenarios' functions (handlers.mjs beside this file):
// the mapping of function names to the module's exports that the emulator takes (`--trigger`,
// COGNITO_TWIN_TRIGGERS, createApp's `triggers`), the ARNs pools name them with, and the probe
// that finds out whether an emulator runs them. docs/scenarios.md, "Trigger scenarios".
import { randomBytes } from "node:crypto";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type {
  SenderKey,
  TriggerFunctionName,
  TriggerFunctions,
  TriggerInvocationSeen,
  TriggerOffer,
} from "../types.js";
import { PROBE_MESSAGE } from "./handlers.mjs";

/** The handlers' module on this machine. */
export const HANDLERS_FILE = fileURLToPath(new URL("./handlers.mjs", import.meta.url));

// Every name of the type, once: a Record's keys must be exactly the union's members.
const NAMES: Record<TriggerFunctionName, true> = {
  scenarioProbe: true,
  scenarioPreSignUp: true,
  scenarioPostConfirmation: true,
  scenarioCustomMessage: true,
  scenarioPreAuthentication: true,
  scenarioPostAuthentication: true,
  scenarioCustomEmailSender: true,
  scenarioPreTokenGeneration: true,
  scenarioUserMigration: true,
  scenarioDefineAuthChallenge: true,
  scenarioCreateAuthChallenge: true,
  scenarioVerifyAuthChallenge: true,
};

/** The functions the trigger scenarios name; each is the module's export of the same name. */
export const TRIGGER_FUNCTIONS = Object.keys(NAMES) as readonly TriggerFunctionName[];

/**
 * Function name to `file#export` for every scenario function, as createApp's `triggers` and
 * `--trigger` take it. `file` is where the emulator finds handlers.mjs (default: this machine's
 * absolute path; the container target passes the path it copied it to).
 */
export function triggerMap(file: string = HANDLERS_FILE): Record<string, string> {
  return Object.fromEntries(TRIGGER_FUNCTIONS.map((name) => [name, `${file}#${name}`]));
}

/** The mapping as `--trigger`'s (and COGNITO_TWIN_TRIGGERS's) value: `NAME=file#export,...`. */
export function triggerFlagValue(file: string = HANDLERS_FILE): string {
  return Object.entries(triggerMap(file))
    .map(([name, spec]) => `${name}=${spec}`)
    .join(",");
}

/**
 * What `npm run scenarios -- --print-trigger-map` prints: how to start an emulator for
 * `--target url` so the trigger scenarios run, with the path from `cwd` when it is inside it.
 */
export function triggerMapHelp(cwd: string): string {
  const rel = relative(cwd, HANDLERS_FILE);
  const file = rel && !rel.startsWith("..") ? `./${rel}` : HANDLERS_FILE;
  return [
    "# Start the emulator for --target url with the trigger scenarios' functions mapped",
    `# (relative paths start from the emulator's working directory: here, ${cwd}):`,
    `node dist/emulator/cli.js --trigger '${triggerFlagValue(file)}'`,
    "# or in the environment:",
    `COGNITO_TWIN_TRIGGERS='${triggerFlagValue(file)}'`,
    "",
  ].join("\n");
}

/** The ARN pools name a scenario function with (the emulator maps it by its function name). */
export function functionArn(region: string, name: TriggerFunctionName): string {
  return `arn:aws:lambda:${region}:000000000000:function:${name}`;
}

/** What the emulator targets answer for `triggers`: the functions, once a probe finds them mapped. */
export function emulatorTriggers(options: {
  readonly cognito: CognitoIdentityProviderClient;
  readonly region: string;
  readonly endpoint: string;
  readonly control: Record<string, string>;
  readonly fetch: typeof fetch;
  /** What to do when they are not mapped (how this target's emulator gets them). */
  readonly hint: string;
}): () => Promise<TriggerOffer> {
  const functions: TriggerFunctions = {
    arn: (name) => functionArn(options.region, name),
    async messages(poolId, username) {
      const url = `${options.endpoint}/_twin/messages?userPoolId=${encodeURIComponent(poolId)}&username=${encodeURIComponent(username)}`;
      const res = await options.fetch(url, { headers: options.control });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET /_twin/messages answered HTTP ${res.status}`);
      return ((await res.json()) as { messages: Record<string, unknown>[] }).messages;
    },
    async invocations(poolId, triggerSource) {
      const url = `${options.endpoint}/_twin/triggers?triggerSource=${encodeURIComponent(triggerSource)}`;
      const res = await options.fetch(url, { headers: options.control });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET /_twin/triggers answered HTTP ${res.status}`);
      const { invocations } = (await res.json()) as { invocations: TriggerInvocationSeen[] };
      // The emulator lists every pool's; a shared one runs other runs' scenarios too.
      return invocations.filter((i) => i.event?.userPoolId === poolId);
    },
    async senderKey() {
      const res = await options.fetch(`${options.endpoint}/_twin/triggers/sender-key`, { headers: options.control });
      if (res.status === 404) return undefined;
      if (!res.ok) throw new Error(`GET /_twin/triggers/sender-key answered HTTP ${res.status}`);
      return (await res.json()) as SenderKey;
    },
  };
  return async () => {
    const unavailable = await probe(options.cognito, functions.arn("scenarioProbe"));
    return unavailable === undefined ? functions : { unavailable: `${unavailable}: ${options.hint}` };
  };
}

/**
 * Signs up in a throwaway pool whose PreSignUp is `scenarioProbe`, which refuses with
 * PROBE_MESSAGE wherever it runs. Undefined when it ran (or when the target ran no PreSignUp at
 * all: then the trigger scenarios run and fail, which says more than a skip); otherwise why not.
 */
async function probe(cognito: CognitoIdentityProviderClient, arn: string): Promise<string | undefined> {
  let poolId: string | undefined;
  try {
    const pool = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: `scenarios-trigger-probe-${randomBytes(4).toString("hex")}`,
        LambdaConfig: { PreSignUp: arn },
      }),
    );
    poolId = pool.UserPool!.Id!;
    const client = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "scenarios-trigger-probe" }),
    );
    await cognito.send(
      new SignUpCommand({
        ClientId: client.UserPoolClient!.ClientId!,
        Username: "trigger-probe",
        Password: "Probe-Pass-1!",
      }),
    );
    return undefined;
  } catch (e) {
    const err = e as Error;
    if (err.name === "UserLambdaValidationException" && err.message.includes(PROBE_MESSAGE)) return undefined;
    if (err.name === "UnexpectedLambdaException")
      return `the emulator does not run the trigger scenarios' functions (a SignUp whose PreSignUp names scenarioProbe answered ${err.name})`;
    return `the trigger probe failed (${err.name}: ${err.message})`;
  } finally {
    if (poolId !== undefined) {
      const made = poolId;
      await cognito.send(new DeleteUserPoolCommand({ UserPoolId: made })).catch(() => undefined);
    }
  }
}
