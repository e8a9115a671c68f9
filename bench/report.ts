// Renders results.json as bench/RESULTS.md: targets with pass/fail (and by how much, and why,
// when missed), every figure for every tool with cognito-twin's lead over each peer, and the
// machine's ceilings.
import { METRICS, type Metric, type MetricId, TARGETS, type Target } from "./metrics.js";
import type { ToolName } from "./tools.js";
import { type Figure, median, type ScalePoint } from "./workloads.js";

/** One tool's results. */
export interface ToolResult {
  version: string | undefined;
  unavailable?: string;
  tokenCheck: string;
  figures: Partial<Record<MetricId, Figure>>;
  scale: ScalePoint[][];
  /** Workloads that failed for this tool, with why. */
  failures?: string[];
}

/** Everything results.json holds. */
export interface Results {
  meta: {
    date: string;
    node: string;
    cores: number;
    cpu: string;
    platform: string;
    quick: boolean;
    runs: number;
    workloadSeconds: number;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
    /** CPU seconds processes outside the bench's own tree used during the run (Linux). */
    otherCpuSeconds?: number;
    /** CPU seconds the hypervisor gave other guests during the run (Linux's steal time). */
    stealSeconds?: number;
    durationSeconds: number;
    buildWarning?: string;
  };
  ceilings: { rs256PerCore: Figure; helloWorldC16Rps: Figure; helloWorldC16P50: Figure; nodeStartMs: Figure };
  tools: Partial<Record<ToolName, ToolResult>>;
}

const TOOLS: ToolName[] = ["cognito-twin", "cognito-local", "moto"];
const PEERS: ToolName[] = ["cognito-local", "moto"];

/**
 * Whether the run had the machine to itself: what other processes and other guests (steal) used
 * of its cores meanwhile, beside the load averages (which count the bench's own processes too).
 */
function machineSentence(m: Results["meta"]): string {
  const load = `load average ${m.loadAverageAtStart.join(" / ")} at the start and ${m.loadAverageAtEnd.join(" / ")} at the end (1/5/15 min, the bench's own processes included)`;
  const caveat =
    "Figures move by 10-30% (more under load) between runs on a busy machine; ratios between tools, measured in the same run with interleaved order, move less.";
  if (m.otherCpuSeconds === undefined || m.stealSeconds === undefined)
    return `The machine may be shared with other work: ${load}. ${caveat}`;
  const available = m.cores * m.durationSeconds;
  const share = (s: number) => (available > 0 ? `${((100 * s) / available).toFixed(1)}%` : "?");
  const used = `processes outside the bench used ${m.otherCpuSeconds} CPU-seconds (${share(m.otherCpuSeconds)} of the ${m.cores} cores over the run) and other guests of the hypervisor ${m.stealSeconds} s (steal, ${share(m.stealSeconds)})`;
  // Under 5% of the cores for both: nothing but the bench ran to speak of.
  const quiet = (100 * (m.otherCpuSeconds + m.stealSeconds)) / Math.max(available, 1) < 5;
  return quiet
    ? `The machine was otherwise quiet: ${used}; ${load}.`
    : `The machine was shared with other work during the run: ${used}; ${load}. ${caveat}`;
}

/** The figure's value: the median of its runs, undefined when there is none. */
export function figureValue(f: Figure | undefined): number | undefined {
  if (!f || f.runs.length === 0) return undefined;
  return median(f.runs);
}

function num(v: number, decimals: number): string {
  return v.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function cell(f: Figure | undefined, metric: Metric, notes: Notes): string {
  if (!f) return "";
  const v = figureValue(f);
  if (v === undefined) return `— ${notes.add(f.missing ?? "not measured")}`;
  let s = num(v, metric.decimals);
  if (f.extrapolated) s = `≥${s} ${notes.add(`extrapolated, ${f.extrapolated}`)}`;
  if (f.note) s = `${s} ${notes.add(f.note)}`;
  return s;
}

/** How many times better cognito-twin is than a peer on a figure (>1: twin leads). */
export function lead(metric: Metric, twin: number | undefined, peer: number | undefined): number | undefined {
  if (twin === undefined || peer === undefined || twin <= 0 || peer <= 0) return undefined;
  return metric.better === "higher" ? twin / peer : peer / twin;
}

function leadCell(x: number | undefined): string {
  if (x === undefined) return "";
  if (x >= 100) return `${Math.round(x).toLocaleString("en-US")}x`;
  return `${x.toFixed(x >= 10 ? 0 : 1)}x`;
}

/** Numbered footnotes, deduplicated. */
class Notes {
  private readonly list: string[] = [];
  add(text: string): string {
    let i = this.list.indexOf(text);
    if (i === -1) i = this.list.push(text) - 1;
    return `[${i + 1}]`;
  }
  render(): string {
    return this.list.map((t, i) => `${i + 1}. ${t}`).join("\n");
  }
}

/** A target's verdict for cognito-twin. */
export interface Verdict {
  target: Target;
  value: number | undefined;
  pass: boolean | undefined;
  shown: string;
  by?: string;
}

/** Checks cognito-twin's figures against the targets. */
export function verdicts(r: Results): Verdict[] {
  const twin = r.tools["cognito-twin"];
  return TARGETS.map((t) => {
    const metric = METRICS.find((m) => m.id === t.metric)!;
    const f = twin?.figures[t.metric];
    const v = figureValue(f);
    if (v === undefined) return { target: t, value: undefined, pass: undefined, shown: f?.missing ?? "not measured" };
    const shown = `${num(v, metric.decimals)} ${metric.unit}`;
    const c = t.check;
    if (c.op === "ratio<=") {
      const base = figureValue(twin?.figures[c.of]);
      if (base === undefined)
        return { target: t, value: v, pass: undefined, shown: `${shown} (no figure at 100 users)` };
      const ratio = v / base;
      const pass = ratio <= c.factor;
      const shownRatio = `${shown} vs ${num(base, metric.decimals)} ${metric.unit}: ${ratio.toFixed(2)}x`;
      return {
        target: t,
        value: v,
        pass,
        shown: shownRatio,
        ...(pass ? {} : { by: `${ratio.toFixed(2)}x instead of at most ${c.factor}x` }),
      };
    }
    const pass = c.op === "<" ? v < c.limit : v >= c.limit;
    const by =
      c.op === "<"
        ? `${num(v - c.limit, metric.decimals)} ${metric.unit} (${(((v - c.limit) / c.limit) * 100).toFixed(0)}%) over`
        : `${num(c.limit - v, metric.decimals)} ${metric.unit} (${(((c.limit - v) / c.limit) * 100).toFixed(0)}%) short`;
    const extrapolated = f?.extrapolated ? " (extrapolated)" : "";
    return { target: t, value: v, pass, shown: `${shown}${extrapolated}`, ...(pass ? {} : { by }) };
  });
}

/** Why a target was missed, from what the run measured. */
function why(r: Results, v: Verdict): string {
  const twin = r.tools["cognito-twin"]!;
  const val = (id: MetricId) => figureValue(twin.figures[id]);
  const us = (x: number | undefined) => (x === undefined ? "?" : `${Math.round(x).toLocaleString("en-US")} µs`);
  const rs = figureValue(r.ceilings.rs256PerCore);
  const hello = figureValue(r.ceilings.helloWorldC16Rps);
  const nodeStart = figureValue(r.ceilings.nodeStartMs);
  const cores = r.meta.cores;
  switch (v.target.id) {
    case "startup":
      return nodeStart !== undefined
        ? `Node itself takes ${nodeStart.toFixed(0)} ms to start and exit (\`node -e 0\`) on this machine during this run, so ${Math.max(0, (v.value ?? 0) - nodeStart).toFixed(0)} ms are the emulator's: loading its bundle (the API model, Hono, and undici, which @hono/node-server pulls in for Request and Response), building the app, binding the port and answering the first call. Contention from other processes on the ${cores} shared cores stretches both.`
        : "Node's own start-up plus loading the emulator's bundle.";
    case "initiateAuth":
      return (
        `Each sign-in signs two RS256 tokens${rs !== undefined ? `; one core signs ${Math.round(rs).toLocaleString("en-US")}/s here, so the signatures alone cost ${us(2e6 / rs)} of CPU per sign-in and ${cores} cores cap sign-ins at ${Math.round((rs * cores) / 2).toLocaleString("en-US")}/s` : ""}. ` +
        `The server used ${us(val("initiateAuthC16CpuUs"))} of CPU per sign-in in all, and the load generator shares the same cores.`
      );
    case "getUser":
      return (
        `The server used ${us(val("getUserC16CpuUs"))} of CPU per GetUser (HTTP parsing and writing, routing, model validation, the token and user checks, JSON)` +
        (hello !== undefined
          ? `; the same HTTP stack answering a hello-world document reaches ${Math.round(hello).toLocaleString("en-US")} req/s with this load generator`
          : "") +
        `, which needs most of a core of the ${cores} for itself at this rate.`
      );
    case "signUp": {
      const distinct = val("signUpDistinctC16Rps");
      return `The server used ${us(val("signUpC16CpuUs"))} of CPU per SignUp.${distinct !== undefined ? ` With a different password per user every call pays a full scrypt hash (${us(val("signUpDistinctC16CpuUs"))} per call): ${Math.round(distinct).toLocaleString("en-US")} req/s.` : ""}`;
    }
    case "clientCredentials":
      return `Each grant checks the client's secret and signs one RS256 access token${rs !== undefined ? ` (${us(1e6 / rs)} of CPU at ${Math.round(rs).toLocaleString("en-US")} signs/s per core)` : ""}; the server used ${us(val("clientCredentialsC16CpuUs"))} of CPU per request in all, on ${cores} cores shared with the load generator.`;
    case "codeFlow":
      return `A sign-in is four requests (authorize, the login page, its form post with the password check and a managed login session, the code's exchange with two RS256 signatures and a refresh token); the server used ${us(val("codeFlowC16CpuUs"))} of CPU per sign-in, on ${cores} cores shared with the load generator.`;
    case "loginPage":
      return "The page is checked (client, callback, scopes) and rendered with Hono's JSX on every request, with a new CSRF cookie for a browser that has none; at one request at a time the figure is mostly HTTP round trip and scheduling noise on a shared machine.";
    case "preSignUpAdded":
    case "preTokenAdded":
      return "Measured in one process (createApp, no HTTP): the operation on a pool without the trigger, on a second pool without it (the control) and on one with it, one call of each per round in a new random order, and the Hodges-Lehmann shift of the timed calls (the median of every with-minus-without pair), whose control shift is the noise floor. Most of it is the invocation (the next row): the event built and copied in, the handler's promise, the answer checked as JSON, the record in the invocation list, then the answer applied to the claims. Other processes on the shared cores slow the operation's JSON work and the code around it alike.";
    case "preSignUpTrigger":
    case "preTokenTrigger":
      return "The figure is the time inside the emulator's invocation (services/triggers.ts): a JSON copy of the event in, the handler, a JSON copy of its answer out; building the event and applying the answer are not in it. A garbage collection landing in one call, or other processes on the shared cores, stretch single calls; the median is kept.";
    case "federatedOidc":
      return `A sign-in is three requests to the emulator (authorize, /oauth2/idpresponse, /oauth2/token) and five it makes to the provider as a client through openid-client and undici (discovery at authorize and again at idpresponse, as Cognito reads the issuer's configuration at every sign-in, then the code exchange, the JWKS and userInfo), the id token's RS256 verification, the federated user's update, a managed login session, and two RS256 signatures at /oauth2/token${rs !== undefined ? ` (${us(2e6 / rs)} of CPU at ${Math.round(rs).toLocaleString("en-US")} signs/s per core)` : ""}; the provider runs in the bench process, on the same ${cores} shared cores, so its work is not in the figure but competes with it.`;
    case "faultMatch":
      return "The figure is Faults.forOperation alone, a million calls with 100 rules on GetUser that name another pool, so every call walks all of them; GetUser through the whole emulator with those rules, minus with none, is in the table below, and is within the noise of a shared machine.";
    case "identityPairs":
      return `A pair is two requests: GetId (the user pool ID token's signature, remembered per token string, then its issuer, audience and expiry; the identity found or made) and GetCredentialsForIdentity (the same checks, the role chosen by the pool's roles and mappings, session-shaped credentials generated and recorded); the server used ${us(val("identityPairsC16CpuUs"))} of CPU per pair${hello !== undefined ? `, and the same HTTP stack answering a hello-world document reaches ${Math.round(hello).toLocaleString("en-US")} req/s (${Math.round(hello / 2).toLocaleString("en-US")} pairs/s) with this load generator on this machine` : ""}.`;
    case "create100k": {
      const cpu = val("createCpuUs");
      return `The server used ${us(cpu)} of CPU per user created${cpu !== undefined ? `, so ${cores} cores cap creation at about ${Math.round((cores * 1e6) / cpu).toLocaleString("en-US")} users/s before the load generator takes its share` : ""}; a full garbage collection now and then walks every stored user.`;
    }
    case "signInFlat":
    case "listUsersFlat":
      return "Latencies of a fraction of a millisecond are dominated by noise on a shared machine (and by garbage collection of a heap holding 100,000 users); compare the 10,000-user figure.";
    case "rss100k": {
      const a = val("rss10kMB");
      const b = val("rss100kMB");
      const slope = a !== undefined && b !== undefined ? ((b - a) * 1e6) / 90_000 : undefined;
      return `Memory grows by about ${slope === undefined ? "?" : Math.round(slope).toLocaleString("en-US")} bytes of RSS per user between 10,000 and 100,000 users: each user record (attributes, password hash, SRP salt, indexes) plus the garbage collector's headroom.`;
    }
    case "scenarios":
      return `The suite (issue 4) runs its scenarios one after another against an in-process emulator. ${twin.figures.scenarioSuiteS?.note ?? ""}.`;
    default:
      return "";
  }
}

/** The whole RESULTS.md. */
export function renderReport(r: Results): string {
  const notes = new Notes();
  const present = TOOLS.filter((t) => r.tools[t]);
  const peers = PEERS.filter((t) => r.tools[t] && !r.tools[t]!.unavailable);
  const out: string[] = [];
  const m = r.meta;
  out.push("# Benchmarks: cognito-twin, cognito-local and moto");
  out.push("");
  out.push(
    `Measured ${m.date.slice(0, 16).replace("T", " ")} UTC by \`npm run bench\`${m.quick ? " --quick" : ""} on ${m.cpu}, **${m.cores} cores**, **Node ${m.node}**, ${m.platform}. ` +
      `${m.runs === 1 ? "Each workload ran once" : `Each workload ran ${m.runs} times (fresh server each time) and the median is kept`}; throughput workloads measure ${m.workloadSeconds} s after a warm-up, ` +
      `with load from a separate Node process (node:http keep-alive, one socket per concurrent request, the JSON 1.1 headers of the AWS SDKs). The whole run took ${m.durationSeconds} s.`,
  );
  out.push("");
  out.push(machineSentence(m));
  if (m.buildWarning) out.push("", `Build: ${m.buildWarning}.`);
  out.push("");
  out.push(`Versions: ${present.map((t) => `${t} ${r.tools[t]!.version ?? "(not installed)"}`).join(", ")}.`);
  for (const t of present) if (r.tools[t]!.unavailable) out.push("", `**${t} skipped:** ${r.tools[t]!.unavailable}.`);
  for (const t of present) for (const f of r.tools[t]!.failures ?? []) out.push("", `**${t}: ${f}**`);
  out.push("");

  if (r.tools["cognito-twin"]) {
    out.push("## Targets (cognito-twin)");
    out.push("");
    out.push("| Target | Measured | Verdict |");
    out.push("|---|---|---|");
    const vs = verdicts(r);
    for (const v of vs) {
      const verdict = v.pass === undefined ? "not measured" : v.pass ? "**pass**" : `**FAIL**: ${v.by}`;
      out.push(`| ${v.target.text} | ${v.shown} | ${verdict} |`);
    }
    const missed = vs.filter((v) => v.pass === false);
    if (missed.length > 0) {
      out.push("");
      out.push("Why the missed targets were missed:");
      out.push("");
      for (const v of missed) out.push(`- **${v.target.text}** (${v.by}): ${why(r, v)}`);
    }
    out.push("");
  }

  out.push("## Every figure");
  out.push("");
  out.push(
    `Lead columns: how many times better cognito-twin is than the peer (higher throughput, or lower latency, time and memory); below 1x the peer is ahead.`,
  );
  out.push("");
  const head = ["Workload", "Figure", ...present, ...peers.map((p) => `twin vs ${p}`)];
  out.push(`| ${head.join(" | ")} |`);
  out.push(`|${head.map(() => "---").join("|")}|`);
  let lastGroup = "";
  for (const metric of METRICS) {
    const cells = present.map((t) =>
      r.tools[t]!.unavailable ? "skipped" : cell(r.tools[t]!.figures[metric.id], metric, notes),
    );
    if (cells.every((c) => c === "" || c === "skipped")) continue;
    const twinV = figureValue(r.tools["cognito-twin"]?.figures[metric.id]);
    const leads = peers.map((p) => {
      const peer = r.tools[p]!.figures[metric.id];
      const cellText = leadCell(lead(metric, twinV, figureValue(peer)));
      // A peer's time that is a lower bound makes the lead a lower bound too.
      return cellText && peer?.extrapolated ? `≥${cellText}` : cellText;
    });
    const group = metric.group === lastGroup ? "" : metric.group;
    lastGroup = metric.group;
    out.push(`| ${group} | ${metric.label} (${metric.unit}) | ${cells.join(" | ")} | ${leads.join(" | ")} |`);
  }
  out.push("");
  const n = notes.render();
  if (n) {
    out.push(n);
    out.push("");
  }

  out.push("## Ceilings of this machine");
  out.push("");
  const rs = figureValue(r.ceilings.rs256PerCore);
  const hello = figureValue(r.ceilings.helloWorldC16Rps);
  const helloP50 = figureValue(r.ceilings.helloWorldC16P50);
  const nodeStart = figureValue(r.ceilings.nodeStartMs);
  const twinF = r.tools["cognito-twin"]?.figures;
  const ia = figureValue(twinF?.initiateAuthC16Rps);
  const gu = figureValue(twinF?.getUserC16Rps);
  const st = figureValue(twinF?.startupMs);
  if (rs !== undefined) {
    const cap = (rs * m.cores) / 2;
    out.push(
      `- **RS256 signatures**: ${Math.round(rs).toLocaleString("en-US")}/s on one core (node:crypto, 2048-bit key). A sign-in signs two tokens, so ${m.cores} cores cap sign-ins at ${Math.round(cap).toLocaleString("en-US")}/s with nothing else running.` +
        (ia !== undefined
          ? ` cognito-twin's InitiateAuth at c16 reaches ${((ia / cap) * 100).toFixed(0)}% of that cap.`
          : ""),
    );
  }
  if (hello !== undefined) {
    out.push(
      `- **HTTP stack**: a hello-world Hono app on @hono/node-server answers ${Math.round(hello).toLocaleString("en-US")} req/s at c16 (p50 ${helloP50?.toFixed(2)} ms) with the same load generator.` +
        (gu !== undefined ? ` cognito-twin's GetUser at c16 reaches ${((gu / hello) * 100).toFixed(0)}% of that.` : ""),
    );
  }
  if (nodeStart !== undefined) {
    out.push(
      `- **Node start-up**: \`node -e 0\` starts and exits in ${nodeStart.toFixed(0)} ms (median of 5).` +
        (st !== undefined
          ? ` cognito-twin's start-up is ${Math.max(0, st - nodeStart).toFixed(0)} ms above that.`
          : ""),
    );
  }
  out.push("");

  out.push("## Read these figures with");
  out.push("");
  out.push(
    [
      "- **One password for all users.** The SignUp target and the scale workload use one password for every user, as test suites do. cognito-twin stores a scrypt hash with its own salt for every user (N=2^8, docs/decisions/0003-password-hashing.md), so every SignUp pays one full hash whatever the password; the second row of SignUp, with a different password per user, shows that the shared password buys nothing. cognito-local and moto store passwords in plain text.",
      "- **SRP verifiers on first need.** cognito-twin computes a user's SRP-6a verifier (one 3072-bit exponentiation) at the first USER_SRP_AUTH, or when the record is first copied or written to a data directory, not at SignUp or AdminCreateUser; no workload here signs in with SRP.",
      "- **GetUser's signature check is remembered per token string**; expiry, revocation and user state are checked on every call (below). The workload repeats 16 tokens.",
      "- **Peers beyond their time budget** are extrapolated as lower bounds (≥), so the lead columns there are lower bounds too. moto answers some concurrent AdminCreateUser and SignUp calls with HTTP 500; creations are retried (up to 5 times) and the count is in the notes.",
    ].join("\n"),
  );
  out.push("");

  out.push("## What GetUser checks");
  out.push("");
  for (const t of present) out.push(`- **${t}**: ${r.tools[t]!.tokenCheck}.`);
  out.push("");

  out.push("## The workloads");
  out.push("");
  out.push(
    [
      "- Every tool gets the seed guide's pool: email as username, email auto-verified, `email` and `name` required, the full password policy; and its client: no secret, `ALLOW_USER_PASSWORD_AUTH` and `ALLOW_REFRESH_TOKEN_AUTH`. Set-up uses the same API calls everywhere.",
      "- **Start-up**: spawn of the server process until its first HTTP 200 to a signed `ListUserPools` (polled every 2 ms on fresh connections); median of 5 spawns per run.",
      "- **InitiateAuth**: `USER_PASSWORD_AUTH` for 16 confirmed users (created with AdminCreateUser and AdminSetUserPassword), round-robin; c1 and c16.",
      "- **GetUser**: the 16 users' access tokens, round-robin, c16.",
      "- **SignUp**: a new email per call with `email` and `name`; one password for every user (what test suites do), and again with a different password per user (every call pays a full password hash).",
      "- **Scale**: `AdminCreateUser` (MessageAction SUPPRESS, one temporary password) at c16 up to 100, 10,000 and 100,000 users; at each size, the user in the middle of the pool gets a permanent password, then the median of sequential `InitiateAuth` calls for it and of `ListUsers` with `Filter: email = \"...\"` (which must find exactly that user), and the server's peak RSS (VmHWM from /proc). Creation through a peer's API stops after a time budget and the rest is extrapolated as a lower bound (marked ≥: the remaining users at the rate of the last ones measured, although every peer slows down as it fills); cognito-local's larger sizes are then written straight into its JSON data file so its latency and memory at that size are still measured.",
      "- **Scenario suite**: `npm run scenarios -- --target memory --reporter json`: the suite's own duration, with the command's wall time in the note.",
    ].join("\n"),
  );
  out.push("");
  out.push("Raw numbers, every run: [results.json](results.json).");
  out.push("");
  return out.join("\n");
}
