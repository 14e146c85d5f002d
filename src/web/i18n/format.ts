import { formatRupiah } from '../../shared/money.js';
import { isLocalDate } from '../../shared/month.js';
import type { Lang } from './catalogue.js';
import { humanDate, humanMonth } from '../../shared/i18n/dates.js';

/**
 * Numbers, money and dates for people. Rupiah is always written the Indonesian way ("Rp66.800"), in both languages:
 * it is the currency's own convention and what every receipt, bank app and minimarket slip shows.
 */
export const rupiah = formatRupiah;

const LOCALE: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

const instantFormats = new Map<Lang, Intl.DateTimeFormat>();

function cached(map: Map<Lang, Intl.DateTimeFormat>, lang: Lang, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = map.get(lang);
  if (!f) {
    f = make();
    map.set(lang, f);
  }
  return f;
}

/** '2026-12' → 'Desember 2026' / 'December 2026' (the shared formatter emails and SMS use too). */
export function formatMonth(month: string, lang: Lang): string {
  return humanMonth(month, lang);
}

/** '2026-12-15' → 'Selasa, 15 Desember 2026' (the shared formatter emails and SMS use too). */
export function formatDate(date: string, lang: Lang): string {
  return humanDate(date, lang);
}

/** An instant as Jakarta time: '23 November 2026 10.00 WIB'. */
export function formatInstant(instant: Date, lang: Lang): string {
  const f = cached(instantFormats, lang, () =>
    new Intl.DateTimeFormat(LOCALE[lang], { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Jakarta' }),
  );
  return `${f.format(instant)} WIB`;
}

/** Whole numbers with Indonesian grouping ('2.000.000'), for form values people read and type. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }).format(n);
}

/**
 * What a person types as an amount: '2.000.000', 'Rp 2.000.000', '2000000' → 2000000. Indonesian uses '.' for
 * thousands, so a dot is never a decimal point here. Anything else is null.
 */
export function parseRupiahInput(raw: string | undefined): number | null {
  if (raw === undefined) {
    return null;
  }
  const cleaned = raw.replace(/^\s*rp\.?\s*/i, '').replace(/[.\s]/g, '').replace(/,00$/, '');
  if (!/^\d{1,13}$/.test(cleaned)) {
    return null;
  }
  return Number(cleaned);
}

const shortDateFormats = new Map<Lang, Intl.DateTimeFormat>();

/** '2026-12-31' → '31 Des 2026' / '31 Dec 2026': for narrow table columns and chart axes. */
export function formatShortDate(date: string, lang: Lang): string {
  if (!isLocalDate(date)) {
    return date;
  }
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return cached(shortDateFormats, lang, () => new Intl.DateTimeFormat(LOCALE[lang], { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })).format(new Date(Date.UTC(y, m - 1, d)));
}
