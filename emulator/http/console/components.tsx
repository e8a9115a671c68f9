/** @jsxImportSource hono/jsx */
// The console's building blocks, so that each page (pages.tsx, faults.tsx, layout.tsx) says only
// what it shows: a table in its scrolling box with a row for "none", a box of facts, the
// notice and error lines, a labelled field, a GET filter form, and a POST form of one button.
// The markup is the one the pages had written out by hand (the tests and the style sheet in
// layout.tsx rely on it); JSX escapes every value.

import type { Child, FC } from "hono/jsx";

/** A status pill: `ok` green, `warn` amber, `bad` red, none grey. */
export const Badge: FC<{ tone?: "ok" | "warn" | "bad" | undefined; children?: Child }> = ({ tone, children }) => (
  <span class={tone ? `badge ${tone}` : "badge"}>{children}</span>
);

/** What a {@link Table} is given. */
export interface TableProps {
  /** The column headings ("" for a column without one). */
  readonly head: readonly string[];
  /** One `<tr>` per item. */
  readonly rows: readonly Child[];
  /** The text of the one row shown when there are no rows; without it an empty table stays empty. */
  readonly empty?: Child;
  /**
   * A live table's stream (live.tsx): the body gets `id="rows"` and `data-live`, and the empty row
   * `data-empty` (the live script removes it when the first row arrives).
   */
  readonly live?: string | undefined;
}

/** A table in a box that scrolls sideways on its own (the page never does). */
export const Table: FC<TableProps> = ({ head, rows, empty, live }) => {
  const isLive = live !== undefined;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody id={isLive ? "rows" : undefined} data-live={live}>
          {rows.length === 0 && empty !== undefined ? (
            <tr data-empty={isLive ? "" : undefined}>
              <td class="empty" colspan={head.length}>
                {empty}
              </td>
            </tr>
          ) : (
            rows
          )}
        </tbody>
      </table>
    </div>
  );
};

/** One line of a {@link Facts} box: the term, what it is, and an id for the value (tests read it). */
export type Fact = readonly [term: string, value: Child, id?: string];

/** A box of facts (a definition list); a `false` or `null` entry is left out. */
export const Facts: FC<{ items: readonly (Fact | false | null)[] }> = ({ items }) => (
  <div class="box">
    <dl class="facts">
      {items.map((item) =>
        item ? (
          <>
            <dt>{item[0]}</dt>
            <dd id={item[2]}>{item[1]}</dd>
          </>
        ) : null,
      )}
    </dl>
  </div>
);

/** The green line that says what an action did, and the red one that says why it was refused. */
export const Notices: FC<{ notice?: string | undefined; error?: string | undefined }> = ({ notice, error }) => (
  <>
    {notice ? (
      <p class="notice" role="status">
        {notice}
      </p>
    ) : null}
    {error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : null}
  </>
);

/** A field with its label above it (`id` ties the two). */
export const Labelled: FC<{ id: string; label: string; children?: Child }> = ({ id, label, children }) => (
  <div>
    <label for={id}>{label}</label>
    {children}
  </div>
);

/** A GET form on one line (a filter): its fields, then the button. */
export const FilterForm: FC<{ action: string; button: string; quiet?: boolean; children?: Child }> = ({
  action,
  button,
  quiet,
  children,
}) => (
  <form class="inline" method="get" action={action}>
    {children}
    <button type="submit" class={quiet ? "quiet" : undefined}>
      {button}
    </button>
  </form>
);

/**
 * A POST form that is one button: its hidden fields (an undefined one is left out), the button,
 * then `children` (a Cancel link, say). The console's POSTs are checked for their origin (auth.tsx),
 * so no token field is needed.
 */
export const PostButton: FC<{
  action: string;
  fields?: Readonly<Record<string, string | undefined>>;
  tone?: "quiet" | "danger" | undefined;
  label: Child;
  children?: Child;
}> = ({ action, fields = {}, tone = "quiet", label, children }) => (
  <form method="post" action={action}>
    {Object.entries(fields).map(([name, value]) =>
      value === undefined ? null : <input type="hidden" name={name} value={value} />,
    )}
    <button type="submit" class={tone}>
      {label}
    </button>
    {children}
  </form>
);
