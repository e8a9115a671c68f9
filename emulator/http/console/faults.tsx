/** @jsxImportSource hono/jsx */
// The web console's faults page (docs/faults.md): the fault rules with how often each fired, a
// form to add one (or paste one as JSON), and buttons to remove one or all; the quota mode's
// rates and refusals when it is on. It changes rules only as /_twin/faults does.

import type { Context, Hono } from "hono";
import type { Child, FC } from "hono/jsx";
import type { Services } from "../../context.js";
import { FAULT_ACTIONS } from "../../core/fault-rules.js";
import { FaultRuleError, type FaultRuleView } from "../../services/faults.js";
import { Labelled, Notices, PostButton, Table } from "./components.js";
import { CONSOLE_BASE } from "./layout.js";

/** Where the page lives. */
const FAULTS_PAGE = `${CONSOLE_BASE}/faults`;

/** The console's page renderer (index.tsx): title, current nav entry, content. */
type Render = (c: Context, title: string, current: string, content: Child) => Response | Promise<Response>;

/** The form's text fields, as typed (kept to fill the form again after a refusal). */
type FormValues = Readonly<Record<string, string>>;

const TEXT_FIELDS = ["operation", "path", "userPoolId", "clientId", "error", "message"] as const;
const NUMBER_FIELDS = ["latencyMs", "count", "probability", "seed", "forSeconds"] as const;

/** The rule a form describes: the JSON pasted, else the fields that were filled in. */
function ruleOf(form: FormValues): unknown {
  const json = (form.json ?? "").trim();
  if (json !== "") {
    try {
      return JSON.parse(json);
    } catch {
      throw new FaultRuleError("json", "the JSON rule is not valid JSON");
    }
  }
  const rule: Record<string, unknown> = { action: form.action ?? "" };
  for (const name of TEXT_FIELDS) if (form[name]?.trim()) rule[name] = form[name]!.trim();
  for (const name of NUMBER_FIELDS) {
    const text = form[name]?.trim();
    // A number the rule's check refuses keeps its text, so the refusal shows what was typed.
    if (text) rule[name] = Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return rule;
}

/** Mounts the faults page and its forms on the console. */
export function faultPages(app: Hono, services: Services, render: Render): void {
  const { faults } = services;
  const show = (c: Context, extra: { notice?: string; error?: string; values?: FormValues } = {}) =>
    render(
      c,
      "Faults",
      FAULTS_PAGE,
      <FaultsPage rules={faults.list()} quotas={faults.quotaRates} refused={faults.quotaRefusals() ?? {}} {...extra} />,
    );

  app.get(FAULTS_PAGE, (c) => {
    const notice = c.req.query("notice");
    return show(c, notice ? { notice: notice.slice(0, 200) } : {});
  });

  app.post(FAULTS_PAGE, async (c) => {
    const values = await formValues(c);
    if (!values) return c.json({ message: "The form must be sent as a form." }, 400);
    try {
      const rule = faults.add(ruleOf(values));
      return c.redirect(`${FAULTS_PAGE}?notice=${encodeURIComponent(`Set the rule ${rule.id}.`)}`, 303);
    } catch (e) {
      if (!(e instanceof FaultRuleError)) throw e;
      c.status(400);
      return show(c, { error: e.field ? `${e.field}: ${e.message}` : e.message, values });
    }
  });

  app.post(`${FAULTS_PAGE}/remove`, async (c) => {
    const values = await formValues(c);
    const id = values?.id ?? "";
    const notice =
      values?.all === "1"
        ? `Removed ${faults.clear()} rules.`
        : faults.remove(id)
          ? `Removed ${id}.`
          : `No rule ${id}.`;
    return c.redirect(`${FAULTS_PAGE}?notice=${encodeURIComponent(notice)}`, 303);
  });
}

async function formValues(c: Context): Promise<FormValues | undefined> {
  try {
    const body = await c.req.parseBody();
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (typeof v === "string") values[k] = v.slice(0, 4000);
    return values;
  } catch {
    return undefined;
  }
}

/** What a rule matches, in a few words. */
function matchOf(r: FaultRuleView): string {
  const parts = [r.operation ?? r.path ?? ""];
  if (r.userPoolId) parts.push(`pool ${r.userPoolId}`);
  if (r.clientId) parts.push(`client ${r.clientId}`);
  if (r.probability !== undefined) parts.push(`p=${r.probability}${r.seed !== undefined ? ` seed ${r.seed}` : ""}`);
  if (r.count !== undefined) parts.push(`next ${r.count}`);
  if (r.from !== undefined) parts.push(`from ${new Date(r.from * 1000).toISOString()}`);
  if (r.until !== undefined) parts.push(`until ${new Date(r.until * 1000).toISOString()}`);
  return parts.join(", ");
}

function actionOf(r: FaultRuleView): string {
  const parts = [r.action === "error" ? `error ${r.error}` : r.action];
  if (r.message) parts.push(`"${r.message}"`);
  if (r.latencyMs) parts.push(`after ${r.latencyMs} ms`);
  return parts.join(" ");
}

/** A text field of the add form, filled again with what was typed after a refusal. */
const Field: FC<{ name: string; label: string; values?: FormValues | undefined; placeholder?: string }> = ({
  name,
  label,
  values,
  placeholder,
}) => (
  <Labelled id={`fault-${name}`} label={label}>
    <input id={`fault-${name}`} name={name} value={values?.[name] ?? ""} placeholder={placeholder ?? ""} />
  </Labelled>
);

/** The page: the rules, the add form, the quota mode. */
const FaultsPage: FC<{
  rules: readonly FaultRuleView[];
  quotas?: Readonly<Record<string, number>> | undefined;
  refused: Readonly<Record<string, number | undefined>>;
  notice?: string | undefined;
  error?: string | undefined;
  values?: FormValues | undefined;
}> = ({ rules, quotas, refused, notice, error, values }) => (
  <>
    <h1>Faults</h1>
    <p class="sub">
      Rules that make the emulator throttle, fail, slow down or go away for chosen operations or managed login paths.
      Tests set the same with <code>POST /_twin/faults</code>; reset removes them.
    </p>
    <Notices notice={notice} error={error} />
    <Table
      head={["Rule", "Matches", "Does", "Fired", ""]}
      empty="No fault rules are set."
      rows={rules.map((r) => (
        <tr>
          <td class="mono">{r.id}</td>
          <td>{matchOf(r)}</td>
          <td>{actionOf(r)}</td>
          <td class="nowrap">
            {r.fired} {r.spent ? <span class="badge">spent</span> : null}
          </td>
          <td>
            <PostButton action={`${FAULTS_PAGE}/remove`} fields={{ id: r.id }} label="Remove" />
          </td>
        </tr>
      ))}
    />
    {rules.length > 0 ? (
      <PostButton action={`${FAULTS_PAGE}/remove`} fields={{ all: "1" }} tone="danger" label="Remove all rules" />
    ) : null}

    <h2>Add a rule</h2>
    <form method="post" action={FAULTS_PAGE} class="box">
      <div class="grid">
        <Field name="operation" label="Operation (or glob)" values={values} placeholder="InitiateAuth, Admin*" />
        <Field name="path" label="or a domain path" values={values} placeholder="/oauth2/token" />
        <Labelled id="fault-action" label="Action">
          <select id="fault-action" name="action">
            {FAULT_ACTIONS.map((a) => (
              <option value={a} selected={(values?.action ?? "throttle") === a}>
                {a}
              </option>
            ))}
          </select>
        </Labelled>
        <Field name="error" label="Error (for error)" values={values} placeholder="NotAuthorizedException" />
        <Field name="message" label="Message" values={values} />
        <Field name="latencyMs" label="Latency (ms)" values={values} placeholder="0 to 60000" />
        <Field name="count" label="Count (next N calls)" values={values} />
        <Field name="probability" label="Probability" values={values} placeholder="0.5" />
        <Field name="seed" label="Seed" values={values} />
        <Field name="forSeconds" label="For seconds (emulator clock)" values={values} />
        <Field name="userPoolId" label="Pool" values={values} />
        <Field name="clientId" label="App client" values={values} />
      </div>
      <p>
        <label for="fault-json">Or the rule as JSON (used instead of the fields)</label>
        <textarea id="fault-json" name="json">
          {values?.json ?? ""}
        </textarea>
      </p>
      <button type="submit">Set the rule</button>
    </form>

    <h2>Quota mode</h2>
    {quotas ? (
      <Table
        head={["Category", "Requests a second", "Refused"]}
        rows={Object.entries(quotas).map(([category, rate]) => (
          <tr>
            <td>{category}</td>
            <td>{rate}</td>
            <td>{refused[category] ?? 0}</td>
          </tr>
        ))}
      />
    ) : (
      <p class="sub">
        Off. Start the emulator with <code>--quotas aws</code> to apply Cognito's request-rate quotas.
      </p>
    )}
  </>
);
