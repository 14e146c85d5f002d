/**
 * Message catalogues: every text a person reads (portal pages, API error messages, emails and SMS, settlement-file
 * line errors) lives in a catalogue, Indonesian first, English second, never in code. A catalogue is a flat record;
 * the English half must have exactly the Indonesian half's keys, which the type checker enforces. Placeholders are
 * written `{name}` and filled by `fill`. The catalogue test (src/web/i18n/catalogue.test.ts) checks every catalogue:
 * the same keys and placeholders in both halves, no empty text.
 */
export type Lang = 'id' | 'en';
export const LANGS: readonly Lang[] = ['id', 'en'];

export function catalogue<K extends string>(c: { id: Record<K, string>; en: Record<K, string> }): { id: Record<K, string>; en: Record<K, string> } {
  return c;
}

/** 'Sisa {n} bulan' + { n: 3 } → 'Sisa 3 bulan'. An unknown placeholder is left visible so a test can catch it. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

export function isLang(s: string | undefined | null): s is Lang {
  return s === 'id' || s === 'en';
}
