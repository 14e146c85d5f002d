import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../src/modules/jobs/run-due-jobs.js';
import { createLogger } from '../../src/shared/logger.js';
import { expectError } from '../support/api-errors.js';
import { activeMember, login } from '../support/factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The holiday calendar is administrator-maintained data, one year at a time (domain-rules.md "Holidays", second
 * release; issue 13): 2026 comes from its official SKB; 2027 has no official list here, so it has no calendar — its
 * due dates skip weekends only and staff are warned — until staff enter it, which takes effect at once.
 */

const STAFF = { authorization: 'Bearer dev-staff-key' };
const put = (t: TestApp, year: number | string, body: unknown, headers: Record<string, string> = STAFF) => t.request('PUT', `/api/v1/staff/holidays/${year}`, body, headers);

/** A 2027 list for the tests (not the official one): Idul Adha on Monday 17 May moves May's due date. */
const TEST_2027 = {
  decree: 'SKB uji (test) 2027',
  holidays: [
    { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi' },
    { date: '2027-05-17', name: 'Idul Adha 1448 Hijriah', kind: 'national_holiday' },
    { date: '2027-12-24', name: 'Cuti Bersama Kelahiran Yesus Kristus', kind: 'joint_leave' },
  ],
};

type Member = Awaited<ReturnType<typeof activeMember>>;

describe('holiday calendar (staff)', () => {
  let t: TestApp;
  let m: Member;
  const logLines: string[] = [];
  /** The years of the cycle's "holiday calendar missing" warnings logged since the mark. */
  const warnedYears = (from: number) =>
    logLines
      .slice(from)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => String(l['msg']).startsWith('holiday calendar missing'))
      .map((l) => l['year']);
  beforeAll(async () => {
    t = await createTestApp({ logger: createLogger('info', (line) => logLines.push(line)) });
    m = await activeMember(t, { months: 6 }); // joins 22 Nov 2026: covered through 2027-04, next due May 2027
  });
  afterAll(async () => t.close());

  it('2026 is the official SKB list: 17 libur nasional and 8 cuti bersama', async () => {
    const res = await t.get('/api/v1/staff/holidays/2026', STAFF);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2026, decree: expect.stringMatching(/^SKB .*1497\/2025/), holidayCalendarMissing: false, enteredBy: 'rule-book' });
    expect(res.body.holidays.filter((h: { kind: string }) => h.kind === 'national_holiday')).toHaveLength(17);
    expect(res.body.holidays.filter((h: { kind: string }) => h.kind === 'joint_leave')).toHaveLength(8);
    expect(res.body.holidays).toContainEqual({ date: '2026-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia', kind: 'national_holiday' });
  });

  it('2027 and 2028 have no calendar (nothing estimated): staff are warned, and the cycle logs it', async () => {
    expect((await t.get('/api/v1/staff/holidays/2027', STAFF)).body).toEqual({ year: 2027, decree: null, holidays: [], enteredBy: null, enteredAt: null, holidayCalendarMissing: true });
    expect((await t.get('/api/v1/staff/holidays/2028', STAFF)).body).toMatchObject({ holidays: [], holidayCalendarMissing: true });
    const list = await t.get('/api/v1/staff/holidays', STAFF);
    expect(list.body).toMatchObject({ years: [{ year: 2026, holidays: 25 }], holidayCalendarMissing: [2027] });

    const mark = logLines.length;
    t.clock.set(new Date('2026-12-01T08:00:00+07:00')); // the day's cycle works out December's and January's due dates
    await runDueJobs(t.deps);
    expect(warnedYears(mark)).toEqual([2027]);
  });

  it('a year without a calendar counts weekends only; entering it moves the due dates computed from then on, and says which', async () => {
    // 15 May 2027 is a Saturday: with no 2027 calendar the due date is Monday 17 May (it was an estimate's 18 May),
    // and the staff view of the member says the calendar is missing.
    const staffView = (await t.get(`/api/v1/participants/${m.kpj}`, STAFF)).body;
    expect(staffView).toMatchObject({ nextDue: { month: '2027-05', dueDate: '2027-05-17' }, holidayCalendarMissing: true });

    const res = await put(t, 2027, { ...TEST_2027, reason: 'SKB 2027 terbit' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ year: 2027, decree: TEST_2027.decree, holidayCalendarMissing: false, enteredBy: expect.stringMatching(/^staff-key:/) });
    expect(res.body.holidays).toEqual([
      { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'national_holiday' },
      { date: '2027-05-17', name: 'Idul Adha 1448 Hijriah', kind: 'national_holiday' },
      { date: '2027-12-24', name: 'Cuti Bersama Kelahiran Yesus Kristus', kind: 'joint_leave' },
    ]);
    expect(res.body.dueDatesChanged).toEqual([{ month: '2027-05', before: '2027-05-17', after: '2027-05-18' }]);

    // At once, without a restart: the member's due date and the calendar's staff view follow the entered list.
    expect((await t.get(`/api/v1/participants/${m.kpj}`, STAFF)).body).toMatchObject({ nextDue: { month: '2027-05', dueDate: '2027-05-18' }, holidayCalendarMissing: false });
    expect((await t.get('/api/v1/staff/holidays/2027', STAFF)).body).toMatchObject({ holidayCalendarMissing: false, holidays: res.body.holidays });
    expect((await t.get('/api/v1/staff/holidays', STAFF)).body.holidayCalendarMissing).toEqual([]);

    const audit = await t.db.selectFrom('staff_audit').selectAll().where('action', '=', 'holiday_calendar.put').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subject: 'holiday-year:2027', reason: 'SKB 2027 terbit', actor: res.body.enteredBy });
    expect(audit[0]?.detail).toMatchObject({ decree: TEST_2027.decree, holidays: 3, previous: null, dueDatesChanged: res.body.dueDatesChanged });

    // Putting the same list again changes nothing; a correction reports the due date it moves back.
    expect((await put(t, 2027, TEST_2027)).body.dueDatesChanged).toEqual([]);
    const corrected = await put(t, 2027, { ...TEST_2027, holidays: TEST_2027.holidays.filter((h) => h.date !== '2027-05-17') });
    expect(corrected.body.dueDatesChanged).toEqual([{ month: '2027-05', before: '2027-05-18', after: '2027-05-17' }]);
    expect((await t.get(`/api/v1/participants/${m.kpj}`, STAFF)).body.nextDue.dueDate).toBe('2027-05-17');
    expect(await t.db.selectFrom('holiday').select('date').where('year', '=', 2027).execute()).toHaveLength(2);
  });

  it('once a year is entered the cycle stops warning for it (and warns for the next one missing)', async () => {
    const mark = logLines.length;
    t.clock.set(new Date('2027-12-01T08:00:00+07:00'));
    await runDueJobs(t.deps);
    expect(warnedYears(mark)).toEqual([2028]);
  });

  it('concurrent puts of a new year each succeed and leave exactly one list', async () => {
    const lists = [0, 1, 2, 3].map((i) => ({ decree: `SKB uji 2029 #${i}`, holidays: [{ date: `2029-01-0${i + 1}`, name: `Libur ${i}` }, { date: '2029-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia' }] }));
    const answers = await Promise.all(lists.map((body) => put(t, 2029, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const stored = (await t.get('/api/v1/staff/holidays/2029', STAFF)).body;
    const winner = lists.find((l) => l.decree === stored.decree);
    expect(stored.holidays.map((h: { date: string }) => h.date)).toEqual(winner?.holidays.map((h) => h.date));
    expect(await t.db.selectFrom('staff_audit').select('id').where('subject', '=', 'holiday-year:2029').execute()).toHaveLength(4);
  });

  it('needs the staff key: 401 without, 403 for a participant', async () => {
    expectError(await t.get('/api/v1/staff/holidays/2027'), 401, 'unauthorized');
    expectError(await put(t, 2027, TEST_2027, {}), 401, 'unauthorized');
    const participant = { authorization: `Bearer ${await login(t, m.person.phone)}` };
    expectError(await put(t, 2027, TEST_2027, participant), 403, 'forbidden');
    expectError(await t.get('/api/v1/staff/holidays', participant), 403, 'forbidden');
  });

  it.each([
    ['a date of another year', { ...TEST_2027, holidays: [{ date: '2028-01-01', name: 'Tahun Baru' }] }, 422, 'invalid_holiday_calendar', 'holidays.0.date'],
    ['a date that does not exist', { ...TEST_2027, holidays: [TEST_2027.holidays[0], { date: '2027-02-30', name: 'x' }] }, 422, 'invalid_holiday_calendar', 'holidays.1.date'],
    ['a date listed twice', { ...TEST_2027, holidays: [TEST_2027.holidays[0], TEST_2027.holidays[0]] }, 422, 'invalid_holiday_calendar', 'holidays.1.date'],
    ['no decree', { holidays: TEST_2027.holidays }, 400, 'invalid_request', 'decree'],
    ['an empty list', { ...TEST_2027, holidays: [] }, 400, 'invalid_request', 'holidays'],
    ['an unknown kind', { ...TEST_2027, holidays: [{ date: '2027-01-01', name: 'x', kind: 'bank_holiday' }] }, 400, 'invalid_request', 'holidays.0.kind'],
    ['a nameless holiday', { ...TEST_2027, holidays: [{ date: '2027-01-01', name: '  ' }] }, 400, 'invalid_request', 'holidays.0.name'],
  ])('refuses %s', async (_label, body, status, code, field) => {
    expectError(await put(t, 2027, body), status, code, field);
  });

  it.each(['1999', '3000', '27', 'abcd'])('refuses the year %s (400)', async (year) => {
    expectError(await put(t, year, TEST_2027), 400, 'invalid_request', 'year');
    expectError(await t.get(`/api/v1/staff/holidays/${year}`, STAFF), 400, 'invalid_request', 'year');
  });
});
