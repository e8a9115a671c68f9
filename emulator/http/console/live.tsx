/** @jsxImportSource hono/jsx */
// The live views: a Server-Sent Events stream of table rows (rendered and escaped here, on the
// server) and the one small script that puts each row at the top of its table. The script reads
// the stream's URL from the table body's data-live and inserts the server's HTML as it is; it
// builds no markup from data itself. Each row has an id (its sequence number), so an EventSource
// that reconnects resumes from the last one it got (ADR 0034).

import type { Context } from "hono";
import { raw } from "hono/html";
import type { FC } from "hono/jsx";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";

/** Rows a live table keeps before it drops the oldest. */
const KEPT_ROWS = 500;

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
const KEEP_ALIVE_MS = 20_000;

/**
 * The script of a live page (allowed by the page's CSP nonce): an EventSource on the table's
 * data-live URL; each `row` event's data is one `<tr>`, rendered and escaped by the server.
 */
const LIVE_SCRIPT = `(function () {
  var rows = document.getElementById("rows");
  var status = document.getElementById("live-status");
  if (!rows || !window.EventSource) return;
  var source = new EventSource(rows.getAttribute("data-live"));
  source.onopen = function () { if (status) status.textContent = "Live: new rows appear at the top."; };
  source.onerror = function () { if (status) status.textContent = "Reconnecting..."; };
  source.addEventListener("row", function (event) {
    var empty = rows.querySelector("[data-empty]");
    if (empty) empty.remove();
    rows.insertAdjacentHTML("afterbegin", event.data);
    while (rows.children.length > ${KEPT_ROWS}) rows.lastElementChild.remove();
  });
})();`;

/** The live script's tag. */
export const LiveScript: FC<{ nonce: string }> = ({ nonce }) => <script nonce={nonce}>{raw(LIVE_SCRIPT)}</script>;

/** One row of a live table: its event id (a sequence number) and its `<tr>`. */
export interface LiveRow {
  readonly id: number;
  readonly html: string;
}

/**
 * Where a live stream resumes: the `Last-Event-ID` a reconnecting EventSource sends (the id of
 * the last row it got), else the page's `?after=` (the newest sequence number when the page was
 * rendered, so rows added before the stream first opened are not lost either). Undefined when
 * neither is a whole number: nothing is replayed.
 */
export function resumeFrom(c: Context): number | undefined {
  for (const text of [c.req.header("last-event-id"), c.req.query("after")]) {
    if (text === undefined || !/^\d{1,15}$/.test(text.trim())) continue;
    return Number(text.trim());
  }
  return undefined;
}

/**
 * Answers an SSE stream: first the rows `missed` answers (what came after {@link resumeFrom}),
 * then a `row` event for each row `subscribe` hands over, until the client goes away. `missed`
 * is read in the same tick as `subscribe` starts, so no row falls between the two or comes twice;
 * every write waits for the one before, so rows arrive in order. `subscribe` returns the
 * function that stops the subscription.
 */
export function liveRows(
  c: Context,
  missed: () => readonly LiveRow[],
  subscribe: (send: (row: LiveRow) => void) => () => void,
): Response {
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let stop: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => {
      stream.onAbort(() => {
        stop();
        resolve();
      });
    });
    // An EventSource shows the stream as open once it has bytes: a comment, then the backlog.
    let written: Promise<unknown> = stream.write(": live\n\n");
    const send = (row: LiveRow) => {
      if (stream.aborted || stream.closed) return stop();
      written = written
        .then(() => stream.writeSSE({ event: "row", data: row.html, id: String(row.id) }))
        .catch(() => stop());
    };
    const backlog = missed();
    stop = subscribe(send);
    for (const row of backlog) send(row);
    while (!stream.aborted && !stream.closed) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        gone,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, KEEP_ALIVE_MS);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
      if (stream.aborted || stream.closed) break;
      written = written.then(() => stream.write(": keep-alive\n\n")).catch(() => undefined);
    }
    stop();
    await written.catch(() => undefined);
  });
}
