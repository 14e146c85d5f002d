import type { Lang } from './catalogue.js';

/**
 * Dates for people, the one formatter of every email and SMS (src/modules/notifications) and of the portal's
 * src/web/i18n/format.ts: "Selasa, 8 Desember 2026 pukul 11.17 WIB", "Desember 2026", "15/12/2026" — never
 * "2026-12-08T11:17:50+07:00" or "2026-12". Pure; a value that is not a date of the expected shape is returned as it
 * is (a message rendered from an older outbox row, a text a caller already formatted).
 */
const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const AT: Record<Lang, string> = { id: 'pukul', en: 'at' };

const MONTH = /^\d{4}-\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, name: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${name}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LOCALE[lang], options);
    formats.set(key, f);
  }
  return f;
}

function utcDay(isoDateOrMonth: string): Date {
  const [y, m, d] = isoDateOrMonth.split('-').map(Number) as [number, number, number | undefined];
  return new Date(Date.UTC(y, m - 1, d ?? 1));
}

/** '2026-12' → 'Desember 2026' / 'December 2026'. */
export function humanMonth(month: string, lang: Lang): string {
  return MONTH.test(month) ? format(lang, 'month', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcDay(month)) : month;
}

/** '2026-12' → 'Des 2026' / 'Dec 2026' (SMS). */
export function humanMonthShort(month: string, lang: Lang): string {
  return MONTH.test(month) ? format(lang, 'monthShort', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(utcDay(month)).replace('.', '') : month;
}

/** '2026-12-15' → 'Selasa, 15 Desember 2026' / 'Tuesday, 15 December 2026'. */
export function humanDate(date: string, lang: Lang): string {
  return DATE.test(date) ? format(lang, 'date', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcDay(date)) : date;
}

/** '2026-12-15' → '15 Desember 2026' / '15 December 2026' (a date inside a sentence of an email). */
export function humanDay(date: string, lang: Lang): string {
  return DATE.test(date) ? format(lang, 'day', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(utcDay(date)) : date;
}

/** '2026-12-15' → '15/12/2026' (SMS: the short date Indonesians write by hand; both languages). */
export function humanDateNumeric(date: string): string {
  if (!DATE.test(date)) {
    return date;
  }
  const [y, m, d] = date.split('-') as [string, string, string];
  return `${d}/${m}/${y}`;
}

/** An instant (a Date, or an ISO string with its offset) in Jakarta time: 'Selasa, 8 Desember 2026 pukul 11.17 WIB'. */
export function humanInstant(instant: Date | string, lang: Lang): string {
  if (typeof instant === 'string' && !INSTANT.test(instant)) {
    return instant;
  }
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const day = format(lang, 'instantDay', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(at);
  const time = format(lang, 'instantTime', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' }).format(at);
  return `${day} ${AT[lang]} ${time} WIB`;
}

/** The same instant for an SMS: '8 Des 2026 pukul 11.17 WIB' (short, so the message stays one part). */
export function humanInstantShort(instant: Date | string, lang: Lang): string {
  if (typeof instant === 'string' && !INSTANT.test(instant)) {
    return instant;
  }
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  const day = format(lang, 'instantDayShort', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(at).replace('.', '');
  const time = format(lang, 'instantTime', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' }).format(at);
  return `${day} ${AT[lang]} ${time} WIB`;
}

/** Any ISO date or time left in a text a person reads ('2026-12-08', '2026-12', 'T11:17'): what the tests forbid. */
export const ISO_DATE_PATTERN = /\b\d{4}-\d{2}(?:-\d{2})?\b|T\d{2}:\d{2}/;
