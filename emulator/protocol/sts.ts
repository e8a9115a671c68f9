// STS's query protocol, for the one action the identity pools' classic flow needs
// (AssumeRoleWithWebIdentity, docs/identity-pools.md): a form-encoded POST (`Action`, `Version`,
// the parameters by name) answered with XML, errors as an `ErrorResponse` with a `Code`. The
// AWS SDKs (awsQuery protocol) and boto3 read these answers; docs/decisions/0038-sts-classic-flow.md.
import { CognitoError, StsError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";

/** STS's API version, the only one it has. */
export const STS_VERSION = "2011-06-15";

const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

/** True when a POST to `/` is an STS query request: form-encoded and without a JSON target. */
export function isStsRequest(contentType: string | undefined, target: string | undefined): boolean {
  return target === undefined && (contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/** The action and parameters of a form body; a parameter given twice keeps its first value. */
export function parseStsForm(body: string): { action: string; version: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) if (!params.has(k)) params.set(k, v);
  return { action: params.get("Action") ?? "", version: params.get("Version") ?? "", params };
}

/** XML with `&`, `<`, `>`, `"` and `'` escaped, and characters XML 1.0 cannot hold dropped. */
function xmlText(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what XML 1.0 forbids.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&apos;")
  );
}

/** An element tree as XML: a string is text, an object holds child elements in its key order. */
type Xml = string | { readonly [element: string]: Xml | undefined };

function toXml(value: Xml): string {
  if (typeof value === "string") return xmlText(value);
  let out = "";
  for (const [name, child] of Object.entries(value))
    if (child !== undefined) out += `<${name}>${toXml(child)}</${name}>`;
  return out;
}

/** A successful answer: `<Action>Response>` with its `Result` and the request id. */
export function stsResponse(action: string, result: Xml, requestId: string): Response {
  const body = `<${action}Response xmlns="${XMLNS}"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>${xmlText(requestId)}</RequestId></ResponseMetadata></${action}Response>`;
  return new Response(body, { status: 200, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId } });
}

/** An StsError (or a stray exception, as STS's InternalFailure) as STS's XML error answer. */
export function renderStsError(err: unknown, requestId: string, log: Logger): Response {
  let e: StsError;
  if (err instanceof StsError) e = err;
  // What the HTTP layer refuses before or while the body is read (too large, too slow, cut off).
  else if (err instanceof CognitoError && err.status < 500)
    e = new StsError("ValidationError", err.message, err.status);
  else {
    // A bug of ours: log it whole, tell the caller as little as STS would.
    log.error(`[${requestId}] unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    e = new StsError("InternalFailure", "An internal error occurred.", 500);
  }
  // Sender: the caller's fault (4xx); Receiver: the service's.
  const type = e.status >= 500 ? "Receiver" : "Sender";
  const body = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${xmlText(e.code)}</Code><Message>${xmlText(e.message)}</Message></Error><RequestId>${xmlText(requestId)}</RequestId></ErrorResponse>`;
  return new Response(body, {
    status: e.status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
  });
}
