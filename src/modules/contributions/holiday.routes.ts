import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { requireStaff, staffActorOf } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { BEARER_AUTH, guardedApp } from '../../http/guarded-app.js';
import { jsonBody, jsonResponse, ZDate, ZError } from '../../http/schemas.js';
import { isLocalDate } from '../../shared/month.js';
import { HOLIDAY_KINDS, type Holiday } from './domain/rule-book.js';
import { loadHolidayYears, putHolidayYear, type StoredHolidayYear, yearsMissingCalendar } from './holiday-calendar.js';

/** The years a calendar may be entered for. */
const YEAR_MIN = 2000;
const YEAR_MAX = 2999;
/** An SKB lists about 25 days; a bound keeps a mistaken upload from filling the year. */
const HOLIDAYS_MAX = 100;

const ZHoliday = z
  .object({
    date: ZDate,
    name: z.string().trim().min(1).max(200).openapi({ example: 'Tahun Baru 2027 Masehi' }),
    kind: z.enum(HOLIDAY_KINDS).default('national_holiday').openapi({ description: 'national_holiday (libur nasional) or joint_leave (cuti bersama)' }),
  })
  .openapi('Holiday');
const ZYearView = z
  .object({
    year: z.number().int(),
    decree: z.string().nullable(),
    holidays: z.array(ZHoliday),
    enteredBy: z.string().nullable(),
    enteredAt: z.string().nullable(),
    holidayCalendarMissing: z.boolean().openapi({ description: 'true: no calendar entered for the year; its due dates skip weekends only' }),
  })
  .openapi('HolidayYear');
const ZDueDateChange = z.object({ month: z.string(), before: ZDate, after: ZDate }).openapi('DueDateChange');
const ZYearParam = z.object({ year: z.string().regex(/^\d{4}$/).openapi({ example: '2027' }) });

const TAG = 'Staf (staff)';
const staffErrors = {
  400: jsonResponse(ZError, 'invalid_request'),
  401: jsonResponse(ZError, 'unauthorized'),
  403: jsonResponse(ZError, 'forbidden (not the staff key)'),
} as const;

function yearOf(param: string): number {
  const year = Number(param);
  if (year < YEAR_MIN || year > YEAR_MAX) {
    throw new AppError('invalid_request', 'year', `a year from ${YEAR_MIN} to ${YEAR_MAX}`);
  }
  return year;
}

function view(year: number, stored: StoredHolidayYear | undefined) {
  return {
    year,
    decree: stored?.decree ?? null,
    holidays: stored ? stored.holidays.map((h) => ({ date: h.date, name: h.name, kind: h.kind })) : [],
    enteredBy: stored?.enteredBy ?? null,
    enteredAt: stored?.enteredAt.toISOString() ?? null,
    holidayCalendarMissing: stored === undefined,
  };
}

/** The checks a schema cannot make: every date a real day of the year, none twice. */
function checkHolidays(year: number, holidays: readonly Holiday[]): void {
  const seen = new Set<string>();
  holidays.forEach((h, i) => {
    if (!isLocalDate(h.date) || !h.date.startsWith(`${year}-`)) {
      throw new AppError('invalid_holiday_calendar', `holidays.${i}.date`, `not a date of ${year}`);
    }
    if (seen.has(h.date)) {
      throw new AppError('invalid_holiday_calendar', `holidays.${i}.date`, 'listed twice');
    }
    seen.add(h.date);
  });
}

/** GET: the entered years, and a warning for this year and next year without one. */
const listYearsRoute = createRoute({
  method: 'get',
  path: '/staff/holidays',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: 'The years with a holiday calendar, and which of this year and next year have none (a warning)',
  responses: {
    200: jsonResponse(
      z.object({
        years: z.array(z.object({ year: z.number().int(), decree: z.string(), holidays: z.number().int(), enteredBy: z.string(), enteredAt: z.string() })),
        holidayCalendarMissing: z.array(z.number().int()).openapi({ description: 'This year and next year, when no calendar is entered for them' }),
      }),
      'Entered years',
    ),
    ...staffErrors,
  },
});

/** GET one year's calendar. */
const yearRoute = createRoute({
  method: 'get',
  path: '/staff/holidays/{year}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "A year's holiday calendar; holidayCalendarMissing when none is entered (due dates then skip weekends only)",
  request: { params: ZYearParam },
  responses: { 200: jsonResponse(ZYearView, 'The year'), ...staffErrors },
});

/** PUT one year's calendar from its decree. */
const putYearRoute = createRoute({
  method: 'put',
  path: '/staff/holidays/{year}',
  tags: [TAG],
  security: BEARER_AUTH,
  summary: "Enter or replace a year's holiday calendar from its official decree (SKB); answers the due dates it moved",
  description:
    'Due dates are computed, never stored: the new list applies to every due date computed from now on for the ' +
    "year's months. Bills already issued keep their expiry. dueDatesChanged lists the due dates the change moved.",
  request: {
    params: ZYearParam,
    body: jsonBody(
      z.object({
        holidays: z.array(ZHoliday).min(1).max(HOLIDAYS_MAX),
        decree: z.string().trim().min(3).max(300).openapi({ example: 'SKB Menag, Menaker, MenPANRB No. …/2026 (libur nasional & cuti bersama 2027)' }),
        reason: z.string().trim().min(3).max(500).optional(),
      }),
    ),
  },
  responses: {
    200: jsonResponse(ZYearView.extend({ dueDatesChanged: z.array(ZDueDateChange) }), 'The year as entered'),
    ...staffErrors,
    422: jsonResponse(ZError, 'invalid_holiday_calendar (a date outside the year, or listed twice)'),
  },
});

/**
 * Staff endpoints of the holiday calendar (contributions/holiday-calendar.ts): read the entered years, read one year,
 * enter or replace one year from its decree. Roles per the staff policy table; writes are audited with the caller's actor.
 */
export function holidayRoutes(deps: Deps) {
  const app = guardedApp(requireStaff(deps), ['/staff/holidays', '/staff/holidays/*']);
  return app
    .openapi(listYearsRoute, async (c) => {
      const years = await loadHolidayYears(deps.db);
      return c.json(
        {
          years: years.map((y) => ({ year: y.year, decree: y.decree, holidays: y.holidays.length, enteredBy: y.enteredBy, enteredAt: y.enteredAt.toISOString() })),
          holidayCalendarMissing: yearsMissingCalendar(years, deps.clock.now()),
        },
        200,
      );
    })
    .openapi(yearRoute, async (c) => {
      const year = yearOf(c.req.valid('param').year);
      const [stored] = await loadHolidayYears(deps.db, year);
      return c.json(view(year, stored), 200);
    })
    .openapi(putYearRoute, async (c) => {
      const year = yearOf(c.req.valid('param').year);
      const body = c.req.valid('json');
      checkHolidays(year, body.holidays);
      const put = await putHolidayYear(deps, { year, decree: body.decree, holidays: body.holidays, actor: staffActorOf(c), reason: body.reason ?? null });
      return c.json({ ...view(year, put.year), dueDatesChanged: put.dueDatesChanged }, 200);
    });
}
