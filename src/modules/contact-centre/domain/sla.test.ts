import { describe, expect, it } from 'vitest';
import { slaDueAt, type ComplaintCategory } from './sla.js';

const weekdays = (holidays: string[]) => (d: string) => {
  const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6 && !holidays.includes(d);
};

describe('slaDueAt (working days, WIB)', () => {
  it.each<[string, string, ComplaintCategory, string[], string]>([
    ['Monday, 2 working days', '2026-12-07T03:00:00Z', 'payment', [], '2026-12-09T03:00:00.000Z'],
    ['Friday afternoon, 2 working days → Tuesday', '2026-12-11T08:00:00Z', 'card', [], '2026-12-15T08:00:00.000Z'],
    ['a holiday is skipped (25 Dec, Friday)', '2026-12-23T03:00:00Z', 'payment', ['2026-12-25'], '2026-12-28T03:00:00.000Z'],
    ['Saturday 01:00 WIB (Friday 18:00 UTC), 5 working days → Friday 01:00 WIB', '2026-12-11T18:00:00Z', 'claim', [], '2026-12-17T18:00:00.000Z'],
    ['data: 3 working days', '2026-12-07T03:00:00Z', 'data', [], '2026-12-10T03:00:00.000Z'],
  ])('%s', (_name, opened, category, holidays, due) => {
    expect(slaDueAt(new Date(opened), category, weekdays(holidays)).toISOString()).toBe(due);
  });
});
