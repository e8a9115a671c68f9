// Turns anything thrown while serving a request into Cognito's error response.

import { CognitoError, errors } from "../core/errors.js";
import type { Logger } from "../core/logger.js";

/** Renders a CognitoError (or a stray exception, as InternalErrorException) the way Cognito does. */
export function renderError(err: unknown, requestId: string, log: Logger): Response {
  let e: CognitoError;
  if (err instanceof CognitoError) {
    e = err;
  } else {
    // A bug of ours: log it whole, tell the caller as little as Cognito would.
    log.error(`[${requestId}] unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    e = errors.internal();
  }
  return new Response(JSON.stringify({ __type: e.type, message: e.message }), {
    status: e.status,
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": `${e.type}:`,
      "x-amzn-errormessage": headerSafe(e.message),
    },
  });
}

/** Header values must be Latin-1 without control characters. */
function headerSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[^\x20-\x7e]/g, "?").slice(0, 1024);
}
