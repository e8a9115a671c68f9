/** @jsxImportSource hono/jsx */
// The live views: a Server-Sent Events stream of table rows (rendered and escaped here, on the
// server) and the one small script that puts each row at the top of its table. The script reads
// the stream's URL from the table body's data-live and inserts the server's HTML as it is; it
// builds no markup from data itself.

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

/**
 * Answers an SSE stream: first `backlog` (rows missed since Last-Event-ID), then a `row` event
 * for each row `subscribe` hands over, until the client goes away. `subscribe` returns the
 * function that stops the subscription.
 */
export function liveRows(
  c: Context,
  backlog: { id?: string; html: string }[],
  subscribe: (send: (row: { id?: string; html: string }) => void) => () => void,
): Response {
  c.header("Cache-Control", "no-store");
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    const write = (row: { id?: string; html: string }) =>
      stream.writeSSE({ event: "row", data: row.html, ...(row.id !== undefined ? { id: row.id } : {}) });
    let stop: () => void = () => undefined;
    const gone = new Promise<void>((resolve) => {
      stream.onAbort(() => {
        stop();
        resolve();
      });
    });
    // An EventSource shows the stream as open once it has bytes: a comment, then the backlog.
    await stream.write(": live\n\n");
    for (const row of backlog) await write(row);
    stop = subscribe((row) => {
      if (stream.aborted || stream.closed) {
        stop();
        return;
      }
      write(row).catch(() => stop());
    });
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
      await stream.write(": keep-alive\n\n").catch(() => undefined);
    }
    stop();
  });
}
