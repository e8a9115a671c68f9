// GET /confirmUser: where the link of a CONFIRM_WITH_LINK sign-up email points
// (domain/triggers/custom-message.ts confirmLink). It confirms the sign-up through ConfirmSignUp,
// as the /confirm page does (the client's SECRET_HASH, the post confirmation trigger), and answers
// a page: Cognito's wording on success, the error page with the API's message otherwise
// (docs/decisions/0016-hosted-ui.md records what is a guess).
import type { Services } from "../../context.js";
import { CognitoError } from "../../core/errors.js";
import { domainOfHost } from "../../domain/oauth/addressing.js";
import type { InboxMessage } from "../../services/inbox.js";
import { errorPage, frameOf, type PageHandler, page } from "./flows.js";
import { queryLanguage, t } from "./i18n.js";
import { callOperation, secretHashFor } from "./operations.js";
import { NoticePage } from "./pages.js";
import { siteContext } from "./site.js";

const PARAMETERS = ["client_id", "user_name", "confirmation_code"] as const;

/** Confirms the sign-up a confirmation link names; never a 5xx for what the link holds. */
export const confirmUserGet: PageHandler = async (c, site, deps) => {
  const query = new URL(c.req.url).searchParams;
  const values = new Map<string, string>();
  for (const name of PARAMETERS) {
    const all = query.getAll(name);
    if (all.length !== 1 || all[0] === "") return errorPage(c, site, "invalid_request", { key: "confirmLinkInvalid" });
    values.set(name, all[0] as string);
  }
  const clientId = values.get("client_id") as string;
  const username = values.get("user_name") as string;
  const client = deps.services.store.getClient(clientId);
  // The same answer as the API's for a client of another pool: this domain knows only its own.
  if (!client || client.poolId !== site.pool.id)
    return errorPage(c, site, "invalid_client", `no app client ${clientId} in this user pool`);
  const secret = secretHashFor(client, username).SECRET_HASH;
  try {
    await callOperation(
      deps.registry,
      "ConfirmSignUp",
      {
        ClientId: clientId,
        Username: username,
        ConfirmationCode: values.get("confirmation_code"),
        ...(secret ? { SecretHash: secret } : {}),
      },
      siteContext(deps.services, c, site),
    );
  } catch (e) {
    if (!(e instanceof CognitoError)) throw e;
    // The API's message as it is (ExpiredCodeException, CodeMismatchException, ...): it is what
    // the user needs to know, and the page escapes it like any text.
    return errorPage(c, site, "invalid_request", e.message);
  }
  const frame = frameOf(c, site, queryLanguage(c));
  const words = t(frame.lang, "registrationConfirmed");
  return page(c, <NoticePage {...frame} title={words} notice={words} />);
};

/** A confirmation link in a message's text, as fillMessage writes it (`&` as `&amp;` in the href). */
const CONFIRM_LINK = /https:\/\/([a-z0-9.-]+)\/confirmUser\?([^"'\s<>]+)/i;

/**
 * The message's sign-up confirmation link on this emulator's path form
 * (`<base>/_domain/<domain>/confirmUser?...`), so a test can follow it without DNS; undefined for a
 * message without one, or whose link names no domain of the message's pool. The message text
 * itself stays as Cognito writes it.
 */
export function localConfirmLink(
  services: Pick<Services, "store" | "config">,
  message: Pick<InboxMessage, "userPoolId" | "message">,
  requestBase: string,
): string | undefined {
  const found = message.message === undefined ? null : CONFIRM_LINK.exec(message.message);
  if (!found) return undefined;
  const [, host = "", query = ""] = found;
  const match = domainOfHost(services.store, host);
  if (!match || match.pool.id !== message.userPoolId) return undefined;
  const base = (services.config.publicUrl ?? requestBase).replace(/\/+$/, "");
  return `${base}/_domain/${match.domain.domain.toLowerCase()}/confirmUser?${query.replaceAll("&amp;", "&")}`;
}
