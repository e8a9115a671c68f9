// Every figure the benchmark reports, with its unit, which direction is better, and the target
// cognito-twin is held to (issue 7). The report and the pass/fail verdicts are derived from this.

/** Identifiers of the figures, as keys of results.json. */
export type MetricId =
  | "startupMs"
  | "initiateAuthC1Rps"
  | "initiateAuthC1P50"
  | "initiateAuthC1P99"
  | "initiateAuthC16Rps"
  | "initiateAuthC16P50"
  | "initiateAuthC16P99"
  | "initiateAuthC16CpuUs"
  | "getUserC16Rps"
  | "getUserC16P50"
  | "getUserC16P99"
  | "getUserC16CpuUs"
  | "signUpC16Rps"
  | "signUpC16P50"
  | "signUpC16P99"
  | "signUpC16CpuUs"
  | "signUpDistinctC16Rps"
  | "signUpDistinctC16P50"
  | "signUpDistinctC16P99"
  | "signUpDistinctC16CpuUs"
  | "loginPageC1P50"
  | "loginPageC1P99"
  | "codeExchangeC16Rps"
  | "codeExchangeC16P50"
  | "codeExchangeC16P99"
  | "codeExchangeC16CpuUs"
  | "clientCredentialsC16Rps"
  | "clientCredentialsC16P50"
  | "clientCredentialsC16P99"
  | "clientCredentialsC16CpuUs"
  | "codeFlowC16Rps"
  | "codeFlowC16P50"
  | "codeFlowC16P99"
  | "codeFlowC16CpuUs"
  | "create10kS"
  | "create100kS"
  | "createCpuUs"
  | "signIn100Ms"
  | "signIn10kMs"
  | "signIn100kMs"
  | "listUsers100Ms"
  | "listUsers10kMs"
  | "listUsers100kMs"
  | "rss100MB"
  | "signUpNoTriggerC16Rps"
  | "signUpNoTriggerC16CpuUs"
  | "signUpPreSignUpC16Rps"
  | "signUpPreSignUpC16CpuUs"
  | "initiateAuthNoTriggerC16Rps"
  | "initiateAuthNoTriggerC16CpuUs"
  | "initiateAuthPreTokenC16Rps"
  | "initiateAuthPreTokenC16CpuUs"
  | "preSignUpInvokeUs"
  | "preSignUpAddedUs"
  | "preTokenAddedUs"
  | "preTokenInvokeUs"
  | "federatedOidcCpuMs"
  | "federatedOidcWallP50Ms"
  | "federatedOidcWallP99Ms"
  | "userImport100kS"
  | "userImport100kCpuS"
  | "userImportSlowestPollMs"
  | "identityPairsC16Rps"
  | "identityPairsC16P99"
  | "identityPairsC16CpuUs"
  | "faultMatch100Us"
  | "faultRules100AddedUs"
  | "rss10kMB"
  | "rss100kMB"
  | "scenarioSuiteS";

/** How a figure is shown and compared. */
export interface Metric {
  id: MetricId;
  label: string;
  unit: "ms" | "req/s" | "pairs/s" | "sign-ins/s" | "s" | "MB" | "µs";
  better: "higher" | "lower";
  decimals: number;
  group: string;
}

const m = (
  id: MetricId,
  group: string,
  label: string,
  unit: Metric["unit"],
  better: Metric["better"],
  decimals: number,
): Metric => ({ id, group, label, unit, better, decimals });

/** In the order of the report. */
export const METRICS: readonly Metric[] = [
  m("startupMs", "Start-up", "spawn to first API answer (median of 5)", "ms", "lower", 0),
  m("initiateAuthC1Rps", "InitiateAuth USER_PASSWORD_AUTH, c1", "throughput", "req/s", "higher", 0),
  m("initiateAuthC1P50", "InitiateAuth USER_PASSWORD_AUTH, c1", "p50", "ms", "lower", 2),
  m("initiateAuthC1P99", "InitiateAuth USER_PASSWORD_AUTH, c1", "p99", "ms", "lower", 2),
  m("initiateAuthC16Rps", "InitiateAuth USER_PASSWORD_AUTH, c16", "throughput", "req/s", "higher", 0),
  m("initiateAuthC16P50", "InitiateAuth USER_PASSWORD_AUTH, c16", "p50", "ms", "lower", 2),
  m("initiateAuthC16P99", "InitiateAuth USER_PASSWORD_AUTH, c16", "p99", "ms", "lower", 2),
  m("initiateAuthC16CpuUs", "InitiateAuth USER_PASSWORD_AUTH, c16", "server CPU per request", "µs", "lower", 0),
  m("getUserC16Rps", "GetUser, c16", "throughput", "req/s", "higher", 0),
  m("getUserC16P50", "GetUser, c16", "p50", "ms", "lower", 2),
  m("getUserC16P99", "GetUser, c16", "p99", "ms", "lower", 2),
  m("getUserC16CpuUs", "GetUser, c16", "server CPU per request", "µs", "lower", 0),
  m("signUpC16Rps", "SignUp, c16, one password for all users", "throughput", "req/s", "higher", 0),
  m("signUpC16P50", "SignUp, c16, one password for all users", "p50", "ms", "lower", 2),
  m("signUpC16P99", "SignUp, c16, one password for all users", "p99", "ms", "lower", 2),
  m("signUpC16CpuUs", "SignUp, c16, one password for all users", "server CPU per request", "µs", "lower", 0),
  m("signUpDistinctC16Rps", "SignUp, c16, a different password per user", "throughput", "req/s", "higher", 0),
  m("signUpDistinctC16P50", "SignUp, c16, a different password per user", "p50", "ms", "lower", 2),
  m("signUpDistinctC16P99", "SignUp, c16, a different password per user", "p99", "ms", "lower", 2),
  m("signUpDistinctC16CpuUs", "SignUp, c16, a different password per user", "server CPU per request", "µs", "lower", 0),
  m("loginPageC1P50", "Login page (GET, c1)", "render p50", "ms", "lower", 2),
  m("loginPageC1P99", "Login page (GET, c1)", "render p99", "ms", "lower", 2),
  m("codeExchangeC16Rps", "/oauth2/token authorization_code with PKCE, c16", "throughput", "req/s", "higher", 0),
  m("codeExchangeC16P50", "/oauth2/token authorization_code with PKCE, c16", "p50", "ms", "lower", 2),
  m("codeExchangeC16P99", "/oauth2/token authorization_code with PKCE, c16", "p99", "ms", "lower", 2),
  m(
    "codeExchangeC16CpuUs",
    "/oauth2/token authorization_code with PKCE, c16",
    "server CPU per request",
    "µs",
    "lower",
    0,
  ),
  m("clientCredentialsC16Rps", "/oauth2/token client_credentials, c16", "throughput", "req/s", "higher", 0),
  m("clientCredentialsC16P50", "/oauth2/token client_credentials, c16", "p50", "ms", "lower", 2),
  m("clientCredentialsC16P99", "/oauth2/token client_credentials, c16", "p99", "ms", "lower", 2),
  m("clientCredentialsC16CpuUs", "/oauth2/token client_credentials, c16", "server CPU per request", "µs", "lower", 0),
  m(
    "codeFlowC16Rps",
    "Whole code flow (authorize, login page, login POST, token), c16",
    "sign-ins per second",
    "sign-ins/s",
    "higher",
    0,
  ),
  m(
    "codeFlowC16P50",
    "Whole code flow (authorize, login page, login POST, token), c16",
    "p50 per sign-in",
    "ms",
    "lower",
    2,
  ),
  m(
    "codeFlowC16P99",
    "Whole code flow (authorize, login page, login POST, token), c16",
    "p99 per sign-in",
    "ms",
    "lower",
    2,
  ),
  m(
    "codeFlowC16CpuUs",
    "Whole code flow (authorize, login page, login POST, token), c16",
    "server CPU per sign-in",
    "µs",
    "lower",
    0,
  ),
  m("signUpNoTriggerC16Rps", "Triggers: SignUp, c16", "throughput, no trigger", "req/s", "higher", 0),
  m("signUpPreSignUpC16Rps", "Triggers: SignUp, c16", "throughput, in-process pre sign-up", "req/s", "higher", 0),
  m("signUpNoTriggerC16CpuUs", "Triggers: SignUp, c16", "server CPU per request, no trigger", "µs", "lower", 0),
  m(
    "signUpPreSignUpC16CpuUs",
    "Triggers: SignUp, c16",
    "server CPU per request, in-process pre sign-up",
    "µs",
    "lower",
    0,
  ),
  m("initiateAuthNoTriggerC16Rps", "Triggers: InitiateAuth, c16", "throughput, no trigger", "req/s", "higher", 0),
  m(
    "initiateAuthPreTokenC16Rps",
    "Triggers: InitiateAuth, c16",
    "throughput, pre token generation v2",
    "req/s",
    "higher",
    0,
  ),
  m(
    "initiateAuthNoTriggerC16CpuUs",
    "Triggers: InitiateAuth, c16",
    "server CPU per request, no trigger",
    "µs",
    "lower",
    0,
  ),
  m(
    "initiateAuthPreTokenC16CpuUs",
    "Triggers: InitiateAuth, c16",
    "server CPU per request, pre token generation v2",
    "µs",
    "lower",
    0,
  ),
  m(
    "preSignUpAddedUs",
    "Triggers: added to the operation (in-process, c1, shift of with over without)",
    "SignUp with pre sign-up",
    "µs",
    "lower",
    0,
  ),
  m(
    "preTokenAddedUs",
    "Triggers: added to the operation (in-process, c1, shift of with over without)",
    "InitiateAuth with pre token generation v2",
    "µs",
    "lower",
    0,
  ),
  m("preSignUpInvokeUs", "Triggers: one in-process invocation (c1, median)", "pre sign-up", "µs", "lower", 1),
  m(
    "preTokenInvokeUs",
    "Triggers: one in-process invocation (c1, median)",
    "pre token generation v2",
    "µs",
    "lower",
    1,
  ),
  m(
    "federatedOidcCpuMs",
    "Federation: a whole OIDC sign-in through a local oidc-provider (c1)",
    "emulator CPU per sign-in",
    "ms",
    "lower",
    2,
  ),
  m(
    "federatedOidcWallP50Ms",
    "Federation: a whole OIDC sign-in through a local oidc-provider (c1)",
    "wall time p50",
    "ms",
    "lower",
    2,
  ),
  m(
    "federatedOidcWallP99Ms",
    "Federation: a whole OIDC sign-in through a local oidc-provider (c1)",
    "wall time p99",
    "ms",
    "lower",
    2,
  ),
  m(
    "identityPairsC16Rps",
    "Identity pools: GetId + GetCredentialsForIdentity with a user-pool ID token, c16",
    "pairs per second",
    "pairs/s",
    "higher",
    0,
  ),
  m(
    "identityPairsC16P99",
    "Identity pools: GetId + GetCredentialsForIdentity with a user-pool ID token, c16",
    "p99 of a pair",
    "ms",
    "lower",
    2,
  ),
  m(
    "identityPairsC16CpuUs",
    "Identity pools: GetId + GetCredentialsForIdentity with a user-pool ID token, c16",
    "server CPU per pair",
    "µs",
    "lower",
    0,
  ),
  m(
    "faultMatch100Us",
    "Faults: 100 rules that do not fire (in-process, median of batches)",
    "matching them, per request (the worst case: 100 rules on the operation, for another pool)",
    "µs",
    "lower",
    2,
  ),
  m(
    "faultRules100AddedUs",
    "Faults: 100 rules that do not fire (in-process, median of batches)",
    "GetUser with them, minus GetUser with none",
    "µs",
    "lower",
    1,
  ),
  m(
    "userImport100kS",
    "User import: a CSV of 100,000 users (StartUserImportJob to Succeeded)",
    "wall time",
    "s",
    "lower",
    2,
  ),
  m(
    "userImport100kCpuS",
    "User import: a CSV of 100,000 users (StartUserImportJob to Succeeded)",
    "server CPU",
    "s",
    "lower",
    2,
  ),
  m(
    "userImportSlowestPollMs",
    "User import: a CSV of 100,000 users (StartUserImportJob to Succeeded)",
    "slowest DescribeUserImportJob while it runs",
    "ms",
    "lower",
    0,
  ),
  m("create10kS", "Scale: users created through AdminCreateUser (c16)", "10,000 users", "s", "lower", 1),
  m("create100kS", "Scale: users created through AdminCreateUser (c16)", "100,000 users", "s", "lower", 1),
  m(
    "createCpuUs",
    "Scale: users created through AdminCreateUser (c16)",
    "server CPU per user created",
    "µs",
    "lower",
    0,
  ),
  m("signIn100Ms", "Scale: InitiateAuth of one user (median)", "at 100 users", "ms", "lower", 2),
  m("signIn10kMs", "Scale: InitiateAuth of one user (median)", "at 10,000 users", "ms", "lower", 2),
  m("signIn100kMs", "Scale: InitiateAuth of one user (median)", "at 100,000 users", "ms", "lower", 2),
  m("listUsers100Ms", "Scale: ListUsers with an email filter (median)", "at 100 users", "ms", "lower", 2),
  m("listUsers10kMs", "Scale: ListUsers with an email filter (median)", "at 10,000 users", "ms", "lower", 2),
  m("listUsers100kMs", "Scale: ListUsers with an email filter (median)", "at 100,000 users", "ms", "lower", 2),
  m("rss100MB", "Scale: server's peak RSS (VmHWM)", "at 100 users", "MB", "lower", 0),
  m("rss10kMB", "Scale: server's peak RSS (VmHWM)", "at 10,000 users", "MB", "lower", 0),
  m("rss100kMB", "Scale: server's peak RSS (VmHWM)", "at 100,000 users", "MB", "lower", 0),
  m("scenarioSuiteS", "Scenario suite", "`npm run scenarios` on the memory target", "s", "lower", 2),
];

/** A target of issue 7: a bound on one figure, or on the ratio of two. */
export interface Target {
  id: string;
  text: string;
  metric: MetricId;
  /** `value < limit` (or `<=`/`>=`), or `value <= factor x other`. */
  check: { op: "<" | ">="; limit: number } | { op: "ratio<="; of: MetricId; factor: number };
}

/** The targets, in the order. */
export const TARGETS: readonly Target[] = [
  { id: "startup", text: "start-up under 150 ms", metric: "startupMs", check: { op: "<", limit: 150 } },
  {
    id: "initiateAuth",
    text: "InitiateAuth at c16: at least 1,000 req/s",
    metric: "initiateAuthC16Rps",
    check: { op: ">=", limit: 1000 },
  },
  {
    id: "getUser",
    text: "GetUser at c16 with full verification: at least 10,000 req/s",
    metric: "getUserC16Rps",
    check: { op: ">=", limit: 10_000 },
  },
  {
    id: "signUp",
    text: "SignUp at c16: at least 1,000 req/s",
    metric: "signUpC16Rps",
    check: { op: ">=", limit: 1000 },
  },
  {
    id: "clientCredentials",
    text: "client_credentials at /oauth2/token, c16: at least 1,500 req/s",
    metric: "clientCredentialsC16Rps",
    check: { op: ">=", limit: 1500 },
  },
  {
    id: "codeFlow",
    text: "the whole code flow (authorize, login POST, token), c16: at least 400 sign-ins/s",
    metric: "codeFlowC16Rps",
    check: { op: ">=", limit: 400 },
  },
  {
    id: "loginPage",
    text: "the login page rendered in under 2 ms (p50)",
    metric: "loginPageC1P50",
    check: { op: "<", limit: 2 },
  },
  {
    id: "preSignUpAdded",
    text: "an in-process pre sign-up trigger adds under 50 µs to SignUp",
    metric: "preSignUpAddedUs",
    check: { op: "<", limit: 50 },
  },
  {
    id: "preTokenAdded",
    text: "an in-process pre token generation v2 trigger adds under 50 µs to InitiateAuth",
    metric: "preTokenAddedUs",
    check: { op: "<", limit: 50 },
  },
  {
    id: "preSignUpTrigger",
    text: "an in-process pre sign-up trigger's invocation (event copy in, handler, answer out) takes under 50 µs",
    metric: "preSignUpInvokeUs",
    check: { op: "<", limit: 50 },
  },
  {
    id: "preTokenTrigger",
    text: "an in-process pre token generation v2 trigger's invocation takes under 50 µs",
    metric: "preTokenInvokeUs",
    check: { op: "<", limit: 50 },
  },
  {
    id: "federatedOidc",
    text: "a federated OIDC sign-in (all redirects, the upstream local) costs under 10 ms of emulator CPU",
    metric: "federatedOidcCpuMs",
    check: { op: "<", limit: 10 },
  },
  {
    id: "identityPairs",
    text: "GetId + GetCredentialsForIdentity for a signed-in user at c16: at least 3,000 pairs/s",
    metric: "identityPairsC16Rps",
    check: { op: ">=", limit: 3_000 },
  },
  {
    id: "faultMatch",
    text: "with 100 fault rules set, matching them costs a request under 5 µs (issue 20)",
    metric: "faultMatch100Us",
    check: { op: "<", limit: 5 },
  },
  {
    id: "create100k",
    text: "100,000 users created in under 60 s",
    metric: "create100kS",
    check: { op: "<", limit: 60 },
  },
  {
    id: "signInFlat",
    text: "sign-in latency at 100,000 users within 1.5x of at 100",
    metric: "signIn100kMs",
    check: { op: "ratio<=", of: "signIn100Ms", factor: 1.5 },
  },
  {
    id: "listUsersFlat",
    text: "filtered ListUsers latency at 100,000 users within 1.5x of at 100",
    metric: "listUsers100kMs",
    check: { op: "ratio<=", of: "listUsers100Ms", factor: 1.5 },
  },
  {
    id: "rss100k",
    text: "peak RSS at 100,000 users under 250 MB",
    metric: "rss100kMB",
    check: { op: "<", limit: 250 },
  },
  {
    id: "userImport100k",
    text: "a user import of 100,000 rows completes in under 30 s (issue 17)",
    metric: "userImport100kS",
    check: { op: "<", limit: 30 },
  },
  {
    id: "scenarios",
    text: "the whole scenario suite on the memory target under 2 s",
    metric: "scenarioSuiteS",
    check: { op: "<", limit: 2 },
  },
];
