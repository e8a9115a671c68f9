// Terms documents (CreateTerms...): an app client's terms of use and privacy policy, one document
// of each TermsName per client, each a map of managed login language to URL. Managed login links
// them from the client's sign-up page once both exist (http/hosted/terms-links.tsx). They live in
// their pool's record (PoolRecord.terms, by TermsId). docs/decisions/0026.
import type { TermsDescriptionType, TermsType } from "@aws-sdk/client-cognito-identity-provider";
import { errors } from "../core/errors.js";
import type { Wire } from "../core/wire.js";
import type { DeepReadonly, StoredPool, TermsRecord } from "../store/types.js";

/** Terms documents as their pool's stored record holds them. */
type StoredTerms = DeepReadonly<TermsRecord>;

/** The two kinds of document, as TermsName names them. */
type TermsName = "terms-of-use" | "privacy-policy";

/** The pool's terms documents with this id, if any. */
function termsOf(pool: StoredPool, termsId: string): StoredTerms | undefined {
  const all = pool.terms;
  // An own-property test: an id such as `constructor` must not find Object's members.
  return all && Object.hasOwn(all, termsId) ? all[termsId] : undefined;
}

/** The terms documents, or ResourceNotFoundException. */
export function requireTerms(pool: StoredPool, termsId: string): StoredTerms {
  const terms = termsOf(pool, termsId);
  if (!terms) throw errors.termsNotFound(termsId);
  return terms;
}

/** Every terms document of the pool, oldest first (the order ListTerms pages). */
export function listTerms(pool: StoredPool): StoredTerms[] {
  return Object.values(pool.terms ?? {}).sort((a, b) =>
    a.createdAt !== b.createdAt ? a.createdAt - b.createdAt : a.termsId < b.termsId ? -1 : 1,
  );
}

/**
 * Refuses a second document of `termsName` for `clientId` (TermsExistsException); `except` is
 * the document being updated.
 */
export function checkTermsNameFree(pool: StoredPool, clientId: string, termsName: string, except?: string): void {
  for (const t of listTerms(pool)) {
    if (t.clientId === clientId && t.termsName === termsName && t.termsId !== except)
      throw errors.termsExists(termsName, clientId);
  }
}

/**
 * Checks a Links map beyond the model (which checks the languages and the URLs' characters):
 * every URL must be absolute http or https, since the sign-up page links to it.
 */
export function checkTermsLinks(links: Readonly<Record<string, string>>): void {
  for (const [language, url] of Object.entries(links)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw errors.termsLinkInvalid(language);
    }
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw errors.termsLinkInvalid(language);
  }
}

/** The pool with `terms` added, or replacing the document with its id. */
export function poolWithTerms(pool: StoredPool, terms: StoredTerms): StoredPool {
  return { ...pool, terms: { ...pool.terms, [terms.termsId]: terms } };
}

/** The pool without the terms documents `termsId`. */
export function poolWithoutTerms(pool: StoredPool, termsId: string): StoredPool {
  const { [termsId]: _gone, ...rest } = pool.terms ?? {};
  const { terms: _old, ...base } = pool;
  return Object.keys(rest).length > 0 ? { ...base, terms: rest } : base;
}

/** The pool without the terms documents of an app client (when the client is deleted). */
export function poolWithoutClientTerms(pool: StoredPool, clientId: string): StoredPool {
  let out = pool;
  for (const t of listTerms(pool)) if (t.clientId === clientId) out = poolWithoutTerms(out, t.termsId);
  return out;
}

/** The terms documents as CreateTerms, DescribeTerms and UpdateTerms answer them. */
export function termsType(poolId: string, terms: StoredTerms): Wire<TermsType> {
  return {
    TermsId: terms.termsId,
    UserPoolId: poolId,
    ClientId: terms.clientId,
    TermsName: terms.termsName,
    TermsSource: terms.termsSource as TermsType["TermsSource"],
    Enforcement: terms.enforcement as TermsType["Enforcement"],
    Links: { ...terms.links },
    CreationDate: terms.createdAt / 1000,
    LastModifiedDate: terms.updatedAt / 1000,
  };
}

/** The terms documents as ListTerms summarises them. */
export function termsDescription(terms: StoredTerms): Wire<TermsDescriptionType> {
  return {
    TermsId: terms.termsId,
    TermsName: terms.termsName,
    Enforcement: terms.enforcement as TermsType["Enforcement"],
    CreationDate: terms.createdAt / 1000,
    LastModifiedDate: terms.updatedAt / 1000,
  };
}

/**
 * The URLs the client's sign-up page links to in `language` (`cognito:spanish`...), falling back
 * to `cognito:default`; undefined unless the client has both documents with a URL for the page,
 * as Cognito shows the terms only once both types exist.
 */
export function signUpTermsLinks(
  pool: StoredPool,
  clientId: string,
  language: string,
): { termsOfUse: string; privacyPolicy: string } | undefined {
  const urlOf = (name: TermsName): string | undefined => {
    const doc = listTerms(pool).find((t) => t.clientId === clientId && t.termsName === name);
    if (!doc) return undefined;
    return Object.hasOwn(doc.links, language) ? doc.links[language] : doc.links["cognito:default"];
  };
  const termsOfUse = urlOf("terms-of-use");
  const privacyPolicy = urlOf("privacy-policy");
  return termsOfUse && privacyPolicy ? { termsOfUse, privacyPolicy } : undefined;
}
