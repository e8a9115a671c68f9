// The languages of the managed login pages (docs/decisions/0022-managed-login-localization.md):
// which one a page is in, and its words. Every page reads its text through t(); the words are in
// messages/, one file per language. Cognito localizes managed login (a domain with
// ManagedLoginVersion 2) into the languages its guide lists, chosen by `lang` on the authorize
// request and kept in a cookie; the classic hosted UI (version 1) is English only.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { de } from "./messages/de.js";
import { en, type MessageKey, type Messages } from "./messages/en.js";
import { es } from "./messages/es.js";
import { fr } from "./messages/fr.js";
import { id } from "./messages/id.js";
import { it } from "./messages/it.js";
import { ja } from "./messages/ja.js";
import { ko } from "./messages/ko.js";
import { ptBR } from "./messages/pt-br.js";
import { zhCN } from "./messages/zh-cn.js";
import { zhTW } from "./messages/zh-tw.js";
import { cookieOptions, type Site } from "./site.js";

/** The languages of managed login, as the guide's "Managed login localization" table codes them. */
export const LANGUAGES = ["de", "en", "es", "fr", "id", "it", "ja", "ko", "pt-BR", "zh-CN", "zh-TW"] as const;

/** One language of managed login (also the page's `<html lang>`). */
export type Language = (typeof LANGUAGES)[number];

const MESSAGES: Readonly<Record<Language, Messages>> = {
  de,
  en,
  es,
  fr,
  id,
  it,
  ja,
  ko,
  "pt-BR": ptBR,
  "zh-CN": zhCN,
  "zh-TW": zhTW,
};

/** The codes by their lower case: `pt-br` is taken as `pt-BR` (our choice; Cognito's is not documented). */
const BY_LOWER: ReadonlyMap<string, Language> = new Map(LANGUAGES.map((l) => [l.toLowerCase(), l]));

/** Where managed login keeps the browser's language (the cookie's name is ours; Cognito's is not documented). */
const LANGUAGE_COOKIE = "cognito-lang";

/** How long the choice is kept: the guide says until the cookie is cleared or another `lang` comes; a year (ours). */
const LANGUAGE_COOKIE_SECONDS = 365 * 24 * 60 * 60;

/** The language `value` names, or undefined for one managed login does not have. */
export function languageOf(value: string | undefined): Language | undefined {
  return value === undefined ? undefined : BY_LOWER.get(value.toLowerCase());
}

/**
 * The language of this request's page. On the classic hosted UI (ManagedLoginVersion 1) always
 * English, whatever `lang` or the cookie says. On managed login: `requested` (the authorize
 * request's `lang`) when it is a language of managed login, kept in the language cookie for the
 * pages that follow; else the cookie's; else English. Accept-Language is not read: the guide
 * says managed login "defaults to the English language".
 */
export function pageLanguage(c: Context, site: Site, requested: string | undefined): Language {
  if (site.domain.managedLoginVersion !== 2) return "en";
  const asked = languageOf(requested);
  const kept = languageOf(getCookie(c, LANGUAGE_COOKIE));
  if (asked === undefined) return kept ?? "en";
  if (asked !== kept) setCookie(c, LANGUAGE_COOKIE, asked, cookieOptions(site, LANGUAGE_COOKIE_SECONDS));
  return asked;
}

/** The request's own `lang` (sent once; a repeated one is not a choice), for pages without an authorize request. */
export function queryLanguage(c: Context): string | undefined {
  const all = new URL(c.req.url).searchParams.getAll("lang");
  return all.length === 1 ? all[0] : undefined;
}

/**
 * The text of `key` in `language`, each `{name}` replaced by `vars[name]`. The result is plain
 * text: the page escapes it (and what was filled in) like every other value.
 */
export function t(language: Language, key: MessageKey, vars: Readonly<Record<string, string>> = {}): string {
  const text: string = MESSAGES[language][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}

/** The translated label of a standard attribute, or undefined for a custom (or unknown) one. */
export function attributeLabel(language: Language, attribute: string): string | undefined {
  const key = `attribute.${attribute}`;
  return Object.hasOwn(en, key) ? t(language, key as MessageKey) : undefined;
}

/**
 * What a page says in a message or an error: a message of ours, translated (with what fills its
 * `{name}`s), or a string shown as it is: the API's messages stay Cognito's, in English.
 */
export type Words = string | { readonly key: MessageKey; readonly vars?: Readonly<Record<string, string>> };

/** `words` in `language`. */
export function wordsIn(language: Language, words: Words): string;
export function wordsIn(language: Language, words: Words | undefined): string | undefined;
export function wordsIn(language: Language, words: Words | undefined): string | undefined {
  if (words === undefined || typeof words === "string") return words;
  return t(language, words.key, words.vars);
}
