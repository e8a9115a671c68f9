// docs/coverage.md, generated from the registry and the model (like moto's coverage table): the
// operations, then every AuthFlowType and ChallengeNameType of the model with where the
// emulator serves it. Nothing here is a hand list: the flows are tried against a fresh
// in-process emulator (InitiateAuth and AdminInitiateAuth, as a client would call them), the
// challenges come from the challenge registry (domain/challenges/index.ts) and the managed
// login pages' own list (http/hosted/challenge-names.ts).
import { createApp, type TwinApp } from "./app.js";
import { errors } from "./core/errors.js";
import { answeredChallenges } from "./domain/challenges/index.js";
import { HOSTED_CHALLENGES, HOSTED_CHOICE_FLOW } from "./http/hosted/challenge-names.js";
import { IDENTITY_OPERATION_NAMES, identityModel } from "./model/identity.js";
import { model, OPERATION_NAMES } from "./model/index.js";
import { buildIdentityRegistry } from "./operations/identity/index.js";
import { buildRegistry } from "./operations/index.js";

/** An enum of the model, in the model's order. */
function enumOf(shape: string): readonly string[] {
  return (model.shapes[shape] as { enum?: readonly string[] } | undefined)?.enum ?? [];
}

/** A signature shaped like SigV4's: admin operations want one, and check no more than its form. */
const SIGNED = `AWS4-HMAC-SHA256 Credential=AKIDCOVERAGE/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}`;

async function call(twin: TwinApp, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await twin.app.request("/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
      authorization: SIGNED,
    },
    body: JSON.stringify(input),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Where one AuthFlowType is served. */
interface FlowCoverage {
  initiateAuth: boolean;
  adminInitiateAuth: boolean;
}

/**
 * Tries every AuthFlowType with InitiateAuth and AdminInitiateAuth on a client that allows every
 * flow, with no parameters: a flow is served unless the answer is "not served by this
 * operation" (Cognito's `Initiate Auth method not supported.`) or the emulator's "not yet".
 */
async function probeFlows(flows: readonly string[]): Promise<Map<string, FlowCoverage>> {
  const twin = await createApp({ logLevel: "silent" });
  try {
    const pool = await call(twin, "CreateUserPool", { PoolName: "coverage" });
    const poolId = (pool.UserPool as { Id: string }).Id;
    const allFlows = enumOf("ExplicitAuthFlowsType").filter((f) => f.startsWith("ALLOW_"));
    const created = await call(twin, "CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "coverage",
      ExplicitAuthFlows: allFlows,
    });
    const clientId = (created.UserPoolClient as { ClientId: string }).ClientId;
    const unserved = (flow: string) => [errors.authFlowNotSupported().message, errors.flowNotImplemented(flow).message];
    const served = (answer: Record<string, unknown>, flow: string) =>
      !unserved(flow).includes(String(answer.message ?? answer.Message ?? ""));
    const out = new Map<string, FlowCoverage>();
    for (const flow of flows) {
      const input = { ClientId: clientId, AuthFlow: flow, AuthParameters: {} };
      out.set(flow, {
        initiateAuth: served(await call(twin, "InitiateAuth", input), flow),
        adminInitiateAuth: served(await call(twin, "AdminInitiateAuth", { ...input, UserPoolId: poolId }), flow),
      });
    }
    return out;
  } finally {
    await twin.close();
  }
}

/** The second table: every flow and challenge of the model, and where it is served. */
async function flowsAndChallenges(): Promise<string[]> {
  const flows = enumOf("AuthFlowType");
  const probed = await probeFlows(flows);
  const answered = answeredChallenges();
  const hosted = new Set<string>(HOSTED_CHALLENGES);
  const yes = (b: boolean) => (b ? "yes" : "-");
  const flowRows = flows.map((flow) => {
    const p = probed.get(flow)!;
    const where = [p.initiateAuth && "InitiateAuth", p.adminInitiateAuth && "AdminInitiateAuth"].filter(Boolean);
    return `| ${flow} | ${yes(where.length > 0)} | ${where.join(", ") || "-"} | ${yes(flow === HOSTED_CHOICE_FLOW)} |`;
  });
  const challenges = enumOf("ChallengeNameType");
  const challengeRows = challenges.map((name) => {
    const api = answered.has(name as never);
    return `| ${name} | ${yes(api || hosted.has(name))} | ${api ? "RespondToAuthChallenge, AdminRespondToAuthChallenge" : "-"} | ${yes(hosted.has(name))} |`;
  });
  const servedFlows = flows.filter((f) => {
    const p = probed.get(f)!;
    return p.initiateAuth || p.adminInitiateAuth;
  }).length;
  const servedChallenges = challenges.filter((c) => answered.has(c as never)).length;
  return [
    "## Auth flows and challenges",
    "",
    `**${servedFlows} of ${flows.length} auth flows and ${servedChallenges} of ${challenges.length} challenges served.** The flows are tried with each operation on a client that allows them all (an operation that does not take a flow answers \`Initiate Auth method not supported.\`, as Cognito does); the challenges are those the challenge registry answers. "hosted pages" is what the managed login pages run: their choice-based sign-in's flow, and the challenges they have a form for (the classic password form proves the password itself).`,
    "",
    "| auth flow | served | API | hosted pages |",
    "| --- | --- | --- | --- |",
    ...flowRows,
    "",
    "| challenge | served | API | hosted pages |",
    "| --- | --- | --- | --- |",
    ...challengeRows,
    "",
  ];
}

/** The Markdown of docs/coverage.md for the current registry. */
export async function coverageMarkdown(): Promise<string> {
  const registry = buildRegistry();
  const implemented = OPERATION_NAMES.filter((n) => registry.has(n));
  const lines = [
    "# Operation coverage",
    "",
    `Generated by \`npm run generate:coverage\` from the operation registry and AWS's model (apiVersion ${model.metadata.apiVersion}). A test fails when this file is stale.`,
    "",
    `**${implemented.length} of ${OPERATION_NAMES.length} operations implemented.** Every operation of the model is validated against its input shape; one not implemented answers \`UnsupportedOperationException\` naming it.`,
    "",
    "| operation | implemented | auth |",
    "| --- | --- | --- |",
    ...OPERATION_NAMES.map(
      (n) => `| ${n} | ${registry.has(n) ? "yes" : "-"} | ${model.operations[n].unsigned ? "none" : "SigV4"} |`,
    ),
    "",
    ...(await flowsAndChallenges()),
    ...identityCoverage(),
  ];
  return lines.join("\n");
}

/** The identity pools' API (AWSCognitoIdentityService, docs/identity-pools.md), served on the same port. */
function identityCoverage(): string[] {
  const registry = buildIdentityRegistry();
  const implemented = IDENTITY_OPERATION_NAMES.filter((n) => registry.has(n));
  return [
    "## Identity pools (Cognito Identity)",
    "",
    `The identity pools' API (\`AWSCognitoIdentityService\`, apiVersion ${identityModel.metadata.apiVersion}) on the same port and \`POST /\`, told apart by its X-Amz-Target prefix ([identity pools](identity-pools.md)).`,
    "",
    `**${implemented.length} of ${IDENTITY_OPERATION_NAMES.length} identity operations implemented.**`,
    "",
    "| identity operation | implemented | auth |",
    "| --- | --- | --- |",
    ...IDENTITY_OPERATION_NAMES.map(
      (n) => `| ${n} | ${registry.has(n) ? "yes" : "-"} | ${identityModel.operations[n].unsigned ? "none" : "SigV4"} |`,
    ),
    "",
    "Beside them, for the classic flow's last step, STS's `AssumeRoleWithWebIdentity` (query protocol: a form `POST /` without X-Amz-Target, answered in XML) takes these identity pools' OpenID tokens and nothing else; STS's other actions answer `InvalidAction` ([identity pools](identity-pools.md#the-classic-flow-sts), [decision 0038](decisions/0038-sts-classic-flow.md)).",
    "",
  ];
}
