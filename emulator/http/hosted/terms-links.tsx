/** @jsxImportSource hono/jsx */
// The links to an app client's terms documents (CreateTerms) on the managed login sign-up page:
// AWS's CreateTerms docs say the client "displays links to them in the sign-up page of managed
// login", in the page's language with a fallback to `cognito:default`, once both the terms of use
// and the privacy policy exist. Only managed login (ManagedLoginVersion 2) shows them; the classic
// hosted UI has no terms. The words are kept here, beside the one component that uses them.

import type { FC } from "hono/jsx";
import { signUpTermsLinks } from "../../domain/terms.js";
import type { Language } from "./i18n.js";
import type { Site } from "./site.js";

/** The page's language as a Links key of CreateTerms (LanguageIdType). */
const LANGUAGE_IDS: Readonly<Record<Language, string>> = {
  de: "cognito:german",
  en: "cognito:english",
  es: "cognito:spanish",
  fr: "cognito:french",
  id: "cognito:bahasa-indonesia",
  it: "cognito:italian",
  ja: "cognito:japanese",
  ko: "cognito:korean",
  "pt-BR": "cognito:portuguese-brazil",
  "zh-CN": "cognito:chinese-simplified",
  "zh-TW": "cognito:chinese-traditional",
};

/** The sentence around the two links, per language: before, between and after them (our wording). */
const WORDS: Readonly<Record<Language, { intro: string; terms: string; and: string; privacy: string; end: string }>> = {
  de: {
    intro: "Mit der Registrierung akzeptieren Sie die ",
    terms: "Nutzungsbedingungen",
    and: " und die ",
    privacy: "Datenschutzrichtlinie",
    end: ".",
  },
  en: {
    intro: "By signing up, you agree to the ",
    terms: "Terms of use",
    and: " and the ",
    privacy: "Privacy policy",
    end: ".",
  },
  es: {
    intro: "Al registrarse, acepta los ",
    terms: "Términos de uso",
    and: " y la ",
    privacy: "Política de privacidad",
    end: ".",
  },
  fr: {
    intro: "En vous inscrivant, vous acceptez les ",
    terms: "Conditions d’utilisation",
    and: " et la ",
    privacy: "Politique de confidentialité",
    end: ".",
  },
  id: {
    intro: "Dengan mendaftar, Anda menyetujui ",
    terms: "Ketentuan penggunaan",
    and: " dan ",
    privacy: "Kebijakan privasi",
    end: ".",
  },
  it: {
    intro: "Registrandoti accetti i ",
    terms: "Termini di utilizzo",
    and: " e l’",
    privacy: "Informativa sulla privacy",
    end: ".",
  },
  ja: {
    intro: "登録すると、",
    terms: "利用規約",
    and: "と",
    privacy: "プライバシーポリシー",
    end: "に同意したことになります。",
  },
  ko: { intro: "가입하면 ", terms: "이용 약관", and: " 및 ", privacy: "개인정보 처리방침", end: "에 동의하게 됩니다." },
  "pt-BR": {
    intro: "Ao se cadastrar, você concorda com os ",
    terms: "Termos de uso",
    and: " e a ",
    privacy: "Política de privacidade",
    end: ".",
  },
  "zh-CN": { intro: "注册即表示您同意", terms: "使用条款", and: "和", privacy: "隐私政策", end: "。" },
  "zh-TW": { intro: "註冊即表示您同意", terms: "使用條款", and: "和", privacy: "隱私權政策", end: "。" },
};

/**
 * The terms sentence for the sign-up page of `clientId`, or nothing: on the classic hosted UI,
 * or while the client lacks one of the two documents (or a URL for this language and default).
 */
export const TermsLinks: FC<{ site: Site; clientId: string; lang: Language }> = ({ site, clientId, lang }) => {
  if (site.domain.managedLoginVersion !== 2) return null;
  const links = signUpTermsLinks(site.pool, clientId, LANGUAGE_IDS[lang]);
  if (!links) return null;
  const w = WORDS[lang];
  // The URLs were checked to be http(s) when stored (domain/terms.ts); JSX escapes them.
  return (
    <p class="terms">
      {w.intro}
      <a href={links.termsOfUse} rel="noopener noreferrer" target="_blank">
        {w.terms}
      </a>
      {w.and}
      <a href={links.privacyPolicy} rel="noopener noreferrer" target="_blank">
        {w.privacy}
      </a>
      {w.end}
    </p>
  );
};
