import { isLang, type Lang } from './catalogue.js';

/** What a request says about its language; every part optional. */
export interface LanguageHints {
  /** An explicit choice for this request (e.g. `?lang=en`): wins when it names a language we speak. */
  query?: string | null | undefined;
  /** The choice a browser remembers (the portal's `lindung_bahasa` cookie). */
  cookie?: string | null | undefined;
  /** The Accept-Language header, negotiated by its q-values. */
  acceptLanguage?: string | null | undefined;
}

/** Longer headers are cut here: no real browser sends more, and parsing stays cheap for any input. */
const MAX_HEADER = 1_000;

/**
 * The one language negotiator (portal pages and API errors): an explicit query, then the cookie, then the
 * Accept-Language preferences; Indonesian when nothing names a language we speak.
 */
export function negotiateLanguage(hints: LanguageHints): Lang {
  for (const explicit of [hints.query, hints.cookie]) {
    if (isLang(explicit)) {
      return explicit;
    }
  }
  return fromAcceptLanguage(hints.acceptLanguage ?? '');
}

/**
 * RFC 9110 §12.5.4: the highest q-value among the ranges naming Indonesian or English wins ("en-US" and "en_US" name
 * English); equal q-values go to the one listed first; q=0 refuses a language; `*` and anything else name no one.
 */
export function fromAcceptLanguage(header: string): Lang {
  let best: { lang: Lang; q: number } | null = null;
  for (const range of header.slice(0, MAX_HEADER).split(',')) {
    const [tag = '', ...params] = range.split(';');
    const lang = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (!isLang(lang)) {
      continue;
    }
    const q = qValue(params);
    if (q > 0 && (best === null || q > best.q)) {
      best = { lang, q };
    }
  }
  return best?.lang ?? 'id';
}

/** `q=0.8` → 0.8; no q → 1; a malformed q → 0 (RFC: at most three decimals, 0–1), so a broken range counts for nothing. */
function qValue(params: string[]): number {
  for (const p of params) {
    const m = /^\s*q\s*=\s*(.*?)\s*$/i.exec(p);
    if (m) {
      return /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(m[1]!) ? Number(m[1]) : 0;
    }
  }
  return 1;
}
