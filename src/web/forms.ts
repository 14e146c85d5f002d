import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { PortalContext, PortalDeps } from './context.js';
import { COOKIE } from './cookies.js';

/** Reading posted forms: every field is a string or absent; files and repeated fields are not expected. */
export type Form = Record<string, string | File | (string | File)[]>;

export function field(form: Form, name: string, max = 500): string {
  const v = form[name];
  const one = Array.isArray(v) ? v[0] : v;
  return typeof one === 'string' ? cutAt(one, max) : '';
}

/**
 * The first `max` UTF-16 units of `s`, never ending in half a surrogate pair: a lone surrogate makes
 * encodeURIComponent throw (a 500 the fuzz found: an emoji cut in half in the branch search's `kota`).
 */
export function cutAt(s: string, max: number): string {
  const cut = s.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

export function fields(form: Form, name: string): string[] {
  const v = form[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

/** 'budi.santoso@contoh.id' → 'b***@contoh.id': enough for a person to recognise their own address. */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? email : `${email[0]}***${email.slice(at)}`;
}

/** '+6281234567890' → '0812••••7890': enough to recognise one's own number, not to read someone else's. */
export function maskPhone(e164: string): string {
  const national = e164.startsWith('+62') ? `0${e164.slice(3)}` : e164;
  return national.length <= 8 ? national : `${national.slice(0, 4)}${'•'.repeat(national.length - 8)}${national.slice(-4)}`;
}

export function nationalPhone(e164: string): string {
  return e164.startsWith('+62') ? `0${e164.slice(3)}` : e164;
}

/**
 * Post/Redirect/Get with a flash (issue 18 item 2): a refused POST answers 303 to the page's GET, and what the page
 * needs to show again (the values as typed, the errors by field, the status) waits for it in a short-lived cookie,
 * sealed (AES-GCM, src/web/security.ts) — a NIK typed on the form is neither in a URL nor readable in the cookie.
 * The browser's history then holds only GETs, so Back never meets "Confirm Form Resubmission".
 * `putFlash`/`takeFlash` are the one mechanism; the staff console (staff/kit.tsx) uses them for its one-shot
 * message, the portal's forms through `redirectWithErrors`/`takeFormFlash`.
 */
export interface FlashSlot {
  cookie: string;
  purpose: string;
  path: string;
  seconds: number;
  sameSite?: 'Strict' | 'Lax';
}

function slotCookie(p: PortalDeps, slot: FlashSlot) {
  return { path: slot.path, httpOnly: true, sameSite: slot.sameSite ?? ('Lax' as const), secure: p.secureCookies };
}

/** Seals `value` into the slot's cookie for the next page (the redirect's target). */
export function putFlash(c: PortalContext, p: PortalDeps, slot: FlashSlot, value: unknown): void {
  const expires = new Date(p.deps.clock.now().getTime() + slot.seconds * 1000);
  setCookie(c, slot.cookie, p.crypto.seal(slot.purpose, value, expires), { ...slotCookie(p, slot), maxAge: slot.seconds });
}

/** The value waiting in the slot (read once: the cookie is dropped), or null (none, expired or tampered with). */
export function takeFlash<T>(c: PortalContext, p: PortalDeps, slot: FlashSlot): T | null {
  const sealed = getCookie(c, slot.cookie);
  if (sealed === undefined) {
    return null;
  }
  deleteCookie(c, slot.cookie, slotCookie(p, slot));
  return p.crypto.unseal<T>(slot.purpose, sealed, p.deps.clock.now());
}

/** A refused form as its page shows it again after the redirect. */
export interface FormFlash<V> {
  values: V;
  errors: Record<string, string>;
  status: 200 | 409 | 422 | 429 | 503;
  notice?: string;
}

const FORM_SLOT: FlashSlot = { cookie: COOKIE.formFlash, purpose: 'portal-form-flash', path: '/', seconds: 10 * 60 };

/** The end of a refused portal form: 303 to `to` (the page's GET), the form's state waiting for that page only. */
export function redirectWithErrors<V>(c: PortalContext, p: PortalDeps, to: string, state: FormFlash<V>): Response {
  putFlash(c, p, FORM_SLOT, { at: new URL(to, 'http://x').pathname, ...state });
  return c.redirect(to, 303);
}

/** The refused form's state waiting for this page (path `at` must match), once; null on a fresh visit. */
export function takeFormFlash<V>(c: PortalContext, p: PortalDeps): FormFlash<V> | null {
  if (getCookie(c, FORM_SLOT.cookie) === undefined) {
    return null;
  }
  const flash = takeFlash<FormFlash<V> & { at: string }>(c, p, FORM_SLOT);
  if (!flash || flash.at !== new URL(c.req.url).pathname) {
    return null;
  }
  const { at: _at, ...state } = flash;
  return state;
}

/** A date as a person types it: tanggal, bulan (1–12 from a select) and tahun — or the whole date typed in one field. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateProblem = 'empty' | 'incomplete' | 'day' | 'month' | 'year' | 'nonexistent' | 'future';

/** '17-05-1990', '17/5/1990', '17.05.1990' or '1990-05-17' as parts; null for anything else. */
export function splitTypedDate(typed: string): DateParts | null {
  const t = typed.trim();
  const dmy = /^(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})$/.exec(t);
  if (dmy) {
    return { day: dmy[1] ?? '', month: dmy[2] ?? '', year: dmy[3] ?? '' };
  }
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  return ymd ? { day: ymd[3] ?? '', month: ymd[2] ?? '', year: ymd[1] ?? '' } : null;
}

/**
 * The date fields `name`Day/`name`Month/`name`Year of a form; a whole date typed in the day field (dd-mm-yyyy) or
 * posted as `name` itself (yyyy-mm-dd, the API's and older forms' shape) is split into its parts.
 */
export function readDateParts(form: Form, name: string): DateParts {
  const parts = { day: field(form, `${name}Day`, 20).trim(), month: field(form, `${name}Month`, 2).trim(), year: field(form, `${name}Year`, 8).trim() };
  const whole = parts.month === '' && parts.year === '' ? splitTypedDate(parts.day) ?? splitTypedDate(field(form, name, 20)) : null;
  return whole ?? parts;
}

/** An ISO date (yyyy-mm-dd) as parts, for showing a known date in the three fields. */
export function datePartsOf(iso: string | undefined): DateParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] ?? '' } : { day: '', month: '', year: '' };
}

/** A birth date from its parts, checked against `today` (yyyy-mm-dd, Jakarta): the ISO date, or why it is not one. */
export function checkBirthDate(parts: DateParts, today: string): { ok: true; value: string } | { ok: false; problem: DateProblem } {
  const { day, month, year } = parts;
  const filled = [day, month, year].filter((x) => x !== '').length;
  if (filled === 0) {
    return { ok: false, problem: 'empty' };
  }
  if (filled < 3) {
    return { ok: false, problem: 'incomplete' };
  }
  const d = /^\d{1,2}$/.test(day) ? Number(day) : NaN;
  const mo = /^\d{1,2}$/.test(month) ? Number(month) : NaN;
  if (!(d >= 1 && d <= 31)) {
    return { ok: false, problem: 'day' };
  }
  if (!(mo >= 1 && mo <= 12)) {
    return { ok: false, problem: 'month' };
  }
  if (!/^\d{4}$/.test(year) || Number(year) < 1900) {
    return { ok: false, problem: 'year' };
  }
  const iso = `${year}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const probe = new Date(`${iso}T00:00:00Z`);
  if (probe.getUTCDate() !== d || probe.getUTCMonth() + 1 !== mo) {
    return { ok: false, problem: 'nonexistent' };
  }
  return iso > today ? { ok: false, problem: 'future' } : { ok: true, value: iso };
}

/** The ISO date of complete, well-formed parts, else '' (the use case checks the rest: future dates, the NIK's date). */
export function isoOfParts(parts: DateParts): string {
  const { day, month, year } = parts;
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
    return '';
  }
  return `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** A NIK as typed ("3171 0101 9001 0001", "3171.0101.9001.0001"): spaces, dots and dashes removed. */
export function normalizeNikInput(typed: string): string {
  return typed.replace(/[\s.\-]/g, '');
}
