/**
 * The contribution rule book: every rate, threshold and calendar the BPU domain depends on, as effective-dated
 * DATA citing its source. Formulas elsewhere never contain these numbers (domain-rules.md §11 "configuration
 * tables with effective dates"), so a new regulation is a data change, not a code change.
 *
 * Confidence follows domain-rules.md: rows marked ⚠️/❓ there are project defaults, not confirmed regulation text.
 */
import type { Rupiah } from '../../../shared/money.js';
import type { LocalDate, Month } from '../../../shared/month.js';

export type Program = 'JKK' | 'JKM' | 'JHT';
/** Canonical order; quotes list their lines in this order. */
export const PROGRAMS: readonly Program[] = ['JKK', 'JKM', 'JHT'];
/** R1: JKK and JKM are mandatory for BPU, JHT is optional; JP and JKP are not open to BPU. */
export const MANDATORY_PROGRAMS: readonly Program[] = ['JKK', 'JKM'];

/** Who pays the contribution. APBN/APBD-funded BPU are excluded from the PP 50/2025 discount (§2). */
export type Funding = 'self' | 'sponsor' | 'partner' | 'apbn' | 'apbd';
export const FUNDINGS: readonly Funding[] = ['self', 'sponsor', 'partner', 'apbn', 'apbd'];

/** PP 50/2025 splits BPU into the transport sector and everyone else (flag on the occupation list). */
export type Sector = 'transport' | 'other';
export const SECTORS: readonly Sector[] = ['transport', 'other'];

/** A row in force for the contribution months validFrom..validTo inclusive (validTo null = open-ended). */
export interface Effective {
  readonly validFrom: Month;
  readonly validTo: Month | null;
  /** The regulation (or project decision) the row comes from. */
  readonly source: string;
}

/** The nominal income values a BPU may declare (PP 44/2015 Lampiran II), ascending. */
export interface IncomeLadder extends Effective {
  readonly rungs: readonly Rupiah[];
}

export type ProgramRate = Effective & { readonly program: Program } & (
    | { readonly basis: 'bps_of_base'; readonly bps: number }
    | { readonly basis: 'flat'; readonly amount: Rupiah }
  );

export interface DiscountRule extends Effective {
  readonly id: string;
  readonly programs: readonly Program[];
  /** Share of the program amount that is waived, in basis points (5000 = 50%). */
  readonly bps: number;
  readonly sectors: readonly Sector[];
  readonly excludedFunding: readonly Funding[];
}

/** The calendar day of the contribution month by which it must be paid (before working-day shifting). */
export interface DueDayRule extends Effective {
  readonly dayOfMonth: number;
}

/**
 * The day of a contribution month on which the monthly cycle opens that month's dues (tagihan iuran bulanan): a bill
 * of kind 'dues' for every member who owes the month. A day past the month's end means its last day.
 */
export interface DuesOpeningRule extends Effective {
  readonly dayOfMonth: number;
}

/**
 * When auto-debit (autodebet) collects a contribution month: one attempt per entry, each given in working days after
 * the month's due date (0 = on the due date). The number of entries bounds the retries.
 */
export interface AutodebitScheduleRule extends Effective {
  readonly workingDaysAfterDue: readonly number[];
}

export const HOLIDAY_KINDS = ['national_holiday', 'joint_leave'] as const;
export type HolidayKind = (typeof HOLIDAY_KINDS)[number];

/** A non-working day: a libur nasional or a cuti bersama from the yearly SKB 3 Menteri. */
export interface Holiday {
  readonly date: LocalDate;
  /** Indonesian name as in the SKB. */
  readonly name: string;
  readonly kind: HolidayKind;
}

/**
 * One year of the holiday calendar, entered from the official decree (domain-rules.md "Holidays", second release):
 * administrator-maintained data, one year at a time. A year without an entry has no holidays: due dates then skip
 * weekends only, and staff are warned (holidayCalendarMissing).
 */
export interface HolidayYear {
  readonly year: number;
  /** The decree the list was entered from (the SKB of the three ministers). */
  readonly decree: string;
  readonly holidays: readonly Holiday[];
}

export interface AmountRow extends Effective {
  readonly amount: Rupiah;
}

/** A rate in basis points (1% = 100 bps) in force for a period. */
export interface BpsRow extends Effective {
  readonly bps: number;
}

/** Benefit figures kept for the claims module (§4); all JKK multipliers apply to the declared income. */
export interface BenefitParameters extends Effective {
  readonly jkmDeathLumpSum: Rupiah;
  readonly jkmPeriodicLumpSum: Rupiah;
  readonly jkmFuneral: Rupiah;
  readonly jkmTotal: Rupiah;
  readonly jkkDeathMultiplier: number;
  /** JKK death: santunan berkala paid at once on top of the multiplier (24 × Rp500.000). */
  readonly jkkDeathPeriodicLumpSum: Rupiah;
  /** JKK death: biaya pemakaman. */
  readonly jkkDeathFuneral: Rupiah;
  readonly jkkTotalDisabilityMultiplier: number;
  readonly jkkPartialDisabilityMultiplier: number;
  readonly jkkHomecareCap: Rupiah;
  /** STMB (temporary incapacity): months paid at the full share, then the reduced share until recovered. */
  readonly stmbFullMonths: number;
  /** STMB share of the income in basis points for the first `stmbFullMonths` (10 000 = 100%). */
  readonly stmbFullBps: number;
  /** STMB share of the income in basis points after `stmbFullMonths` (5 000 = 50%). */
  readonly stmbReducedBps: number;
  /** The monthly income is turned into a daily amount by dividing by this many days. */
  readonly stmbDaysPerMonth: number;
  readonly scholarshipMaxChildren: number;
  readonly scholarshipMaxTotal: Rupiah;
  readonly jkmScholarshipMinContributionMonths: number;
}

export interface RuleBook {
  readonly incomeLadders: readonly IncomeLadder[];
  readonly programRates: readonly ProgramRate[];
  readonly discountRules: readonly DiscountRule[];
  readonly dueDayRules: readonly DueDayRule[];
  /**
   * The holiday calendar by year. At run time it is the database's (holiday_year / holiday, maintained by staff
   * through PUT /api/v1/staff/holidays/{year}; contributions/holiday-calendar.ts loads it); the default below holds
   * the years whose official decree the project has, which seed that table.
   */
  readonly holidayYears: readonly HolidayYear[];
  /** Months a bill may cover at once. */
  readonly prepaymentOptions: readonly number[];
  /** How long a first (registration) bill's payment code stays payable. */
  readonly firstBillLifetimeMs: number;
  /** Overdue months tolerated as arrears; more than this → inactive. */
  readonly arrearsWindowMonths: number;
  readonly policySources: {
    readonly prepaymentOptions: string;
    readonly firstBillLifetimeMs: string;
    readonly arrearsWindowMonths: string;
  };
  /** Largest JHT balance claimable in the JMO app without staff review. */
  readonly jhtSelfServiceCaps: readonly AmountRow[];
  readonly benefitParameters: readonly BenefitParameters[];
  /**
   * The yearly JHT return the contribution simulator ASSUMES for illustrations. Not a promise and not the credited
   * rate of any year: the credited rate is set yearly after the fact (domain-rules.md §4.4, "JHT yearly return").
   */
  readonly jhtIllustrativeReturns: readonly BpsRow[];
  /** When each contribution month's dues are opened (monthly cycle, job `dues:<month>`). */
  readonly duesOpeningRules: readonly DuesOpeningRule[];
  /** The auto-debit attempts of a contribution month (monthly cycle, jobs `autodebit:<month>:<attempt>`). */
  readonly autodebitSchedules: readonly AutodebitScheduleRule[];
}

// ---------------------------------------------------------------------------------------------------------------
// Lookup helpers
// ---------------------------------------------------------------------------------------------------------------

export function isInForce(row: Effective, month: Month): boolean {
  return row.validFrom <= month && (row.validTo === null || month <= row.validTo);
}

/** Every row in force for the month ('YYYY-MM' strings compare chronologically). */
export function allInForce<T extends Effective>(rows: readonly T[], month: Month): T[] {
  return rows.filter((row) => isInForce(row, month));
}

/** How far ahead of the current month a bill or the contribution wallet may pay: the longest prepayment a member may buy. */
export function prepayHorizonMonths(rules: RuleBook): number {
  return Math.max(...rules.prepaymentOptions);
}

/** The row in force for the month; when rows overlap, the most recently started one wins. */
export function inForce<T extends Effective>(rows: readonly T[], month: Month): T | undefined {
  let best: T | undefined;
  for (const row of allInForce(rows, month)) {
    if (best === undefined || row.validFrom > best.validFrom) {
      best = row;
    }
  }
  return best;
}

/** Missing configuration is a deployment error, not a user error, so it throws. */
export function requireInForce<T extends Effective>(rows: readonly T[], month: Month, what: string): T {
  const row = inForce(rows, month);
  if (row === undefined) {
    throw new RangeError(`rule book has no ${what} in force for ${month}`);
  }
  return row;
}

export function jhtSelfServiceCap(month: Month, rules: RuleBook): Rupiah {
  return requireInForce(rules.jhtSelfServiceCaps, month, 'JHT self-service cap').amount;
}

export function benefitParametersAt(month: Month, rules: RuleBook): BenefitParameters {
  return requireInForce(rules.benefitParameters, month, 'benefit parameters');
}

/** The illustrative yearly JHT return (bps) the simulator assumes in the month; see RuleBook.jhtIllustrativeReturns. */
export function jhtIllustrativeReturnBps(month: Month, rules: RuleBook): number {
  return requireInForce(rules.jhtIllustrativeReturns, month, 'illustrative JHT return').bps;
}

/** The calendar year's entry, or undefined when no one has entered that year's holidays. */
export function holidayYear(year: number, rules: RuleBook): HolidayYear | undefined {
  return rules.holidayYears.find((y) => y.year === year);
}

/** True when the year has no holiday calendar: its due dates skip weekends only, and staff are warned. */
export function holidayCalendarMissing(year: number, rules: RuleBook): boolean {
  return holidayYear(year, rules) === undefined;
}

/** The rule book with the holiday calendar replaced (the shell loads it from the database). */
export function withHolidayYears(rules: RuleBook, holidayYears: readonly HolidayYear[]): RuleBook {
  return { ...rules, holidayYears: [...holidayYears].sort((a, b) => a.year - b.year) };
}

/** Rungs min, min+step, …, max (inclusive). */
export function buildIncomeLadder(min: Rupiah, max: Rupiah, step: Rupiah): Rupiah[] {
  if (step <= 0 || max < min) {
    throw new RangeError('invalid ladder bounds');
  }
  const rungs: Rupiah[] = [];
  for (let value = min; value <= max; value += step) {
    rungs.push(value);
  }
  return rungs;
}

// ---------------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------------

/** PP 44/2015 and PP 46/2015 took effect on 1 July 2015; the BPU tables start with that contribution month. */
const BPU_SCHEME_START: Month = '2015-07';

const INCOME_LADDERS: readonly IncomeLadder[] = [
  {
    // ❓ Only the end points (Rp1.000.000 and Rp20.700.000) are confirmed; the intermediate rows of Lampiran II
    // were not retrievable, so the project default is a Rp100.000 step (domain-rules.md "Project decisions").
    // Replace `rungs` with the transcribed table when available.
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'PP 44/2015 Lampiran II (end points); Rp100.000 step is a project default',
    rungs: buildIncomeLadder(1_000_000, 20_700_000, 100_000),
  },
];

const PROGRAM_RATES: readonly ProgramRate[] = [
  {
    program: 'JKK',
    basis: 'bps_of_base',
    bps: 100, // 1% of the nominal income value
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'PP 44/2015 Lampiran II (as amended by PP 82/2019, PP 49/2023)',
  },
  {
    program: 'JKM',
    basis: 'flat',
    amount: 6_800,
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'PP 44/2015 (iuran JKM BPU Rp6.800 per bulan)',
  },
  {
    program: 'JHT',
    basis: 'bps_of_base',
    bps: 200, // 2% of the same nominal income value
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'PP 46/2015 jo. PP 60/2015 (JHT BPU 2% dari nilai penghasilan)',
  },
];

/** PP 50/2025: JKK and JKM halved for participants not funded by APBN/APBD; the period depends on the sector. */
const PP50_2025: Pick<DiscountRule, 'programs' | 'bps' | 'excludedFunding'> = { programs: ['JKK', 'JKM'], bps: 5_000, excludedFunding: ['apbn', 'apbd'] };

const DISCOUNT_RULES: readonly DiscountRule[] = [
  {
    // COVID-19 relief: JKK and JKM cut by 99%. Kept for history; its conditions (arrears paid through Jul 2020,
    // first 2 months full for new members) and the moved deadline are not modelled.
    id: 'PP49-2020',
    programs: ['JKK', 'JKM'],
    bps: 9_900,
    sectors: ['transport', 'other'],
    excludedFunding: [],
    validFrom: '2020-08',
    validTo: '2021-01',
    source: 'PP 49/2020 (penyesuaian iuran selama bencana nonalam COVID-19)',
  },
  {
    id: 'PP50-2025-TRANSPORT',
    ...PP50_2025,
    sectors: ['transport'],
    validFrom: '2026-01',
    validTo: '2027-03',
    source: 'PP 50/2025 Pasal 3, Pasal 4 ayat (1) (sektor transportasi: Januari 2026 - Maret 2027)',
  },
  {
    id: 'PP50-2025-OTHER',
    ...PP50_2025,
    sectors: ['other'],
    validFrom: '2026-04',
    validTo: '2026-12',
    source: 'PP 50/2025 Pasal 3, Pasal 4 ayat (1) (sektor lainnya: April - Desember 2026)',
  },
];

const DUE_DAY_RULES: readonly DueDayRule[] = [
  {
    // "paling lambat tanggal 15 bulan Iuran yang bersangkutan"; a non-working 15th shifts forward (due-date.ts).
    // PP 49/2020 moved the deadline to the 30th for Aug 2020 - Jan 2021, but whether that meant the same or the
    // following month for BPU is not established, so it is not modelled.
    dayOfMonth: 15,
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'Ketentuan iuran BPU: paling lambat tanggal 15 bulan iuran yang bersangkutan [N9][F2]',
  },
];

const SKB_2026 = 'SKB Menag, Menaker, MenPANRB No. 1497/2025, 2/2025, 5/2025 (libur nasional & cuti bersama 2026)';

/**
 * The years whose official decree the project has: the seed of the holiday calendar table (inserted when a database
 * has no entry for the year; an entry staff made is never overwritten). 2027 is not here: its SKB was not available,
 * and an estimate must not pass for the official list — until staff enter it, 2027 counts weekends only.
 */
const OFFICIAL_HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    // 17 libur nasional + 8 cuti bersama.
    year: 2026,
    decree: SKB_2026,
    holidays: [
      { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi', kind: 'national_holiday' },
      { date: '2026-01-16', name: "Isra Mi'raj Nabi Muhammad SAW", kind: 'national_holiday' },
      { date: '2026-02-16', name: 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili', kind: 'joint_leave' },
      { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili', kind: 'national_holiday' },
      { date: '2026-03-18', name: 'Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)', kind: 'joint_leave' },
      { date: '2026-03-19', name: 'Hari Suci Nyepi (Tahun Baru Saka 1948)', kind: 'national_holiday' },
      { date: '2026-03-20', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'joint_leave' },
      { date: '2026-03-21', name: 'Idul Fitri 1447 Hijriah', kind: 'national_holiday' },
      { date: '2026-03-22', name: 'Idul Fitri 1447 Hijriah', kind: 'national_holiday' },
      { date: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'joint_leave' },
      { date: '2026-03-24', name: 'Cuti Bersama Idul Fitri 1447 Hijriah', kind: 'joint_leave' },
      { date: '2026-04-03', name: 'Wafat Yesus Kristus', kind: 'national_holiday' },
      { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)', kind: 'national_holiday' },
      { date: '2026-05-01', name: 'Hari Buruh Internasional', kind: 'national_holiday' },
      { date: '2026-05-14', name: 'Kenaikan Yesus Kristus', kind: 'national_holiday' },
      { date: '2026-05-15', name: 'Cuti Bersama Kenaikan Yesus Kristus', kind: 'joint_leave' },
      { date: '2026-05-27', name: 'Idul Adha 1447 Hijriah', kind: 'national_holiday' },
      { date: '2026-05-28', name: 'Cuti Bersama Idul Adha 1447 Hijriah', kind: 'joint_leave' },
      { date: '2026-05-31', name: 'Hari Raya Waisak 2570 BE', kind: 'national_holiday' },
      { date: '2026-06-01', name: 'Hari Lahir Pancasila', kind: 'national_holiday' },
      { date: '2026-06-16', name: '1 Muharam Tahun Baru Islam 1448 Hijriah', kind: 'national_holiday' },
      { date: '2026-08-17', name: 'Proklamasi Kemerdekaan Republik Indonesia', kind: 'national_holiday' },
      { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW', kind: 'national_holiday' },
      { date: '2026-12-24', name: 'Cuti Bersama Kelahiran Yesus Kristus', kind: 'joint_leave' },
      { date: '2026-12-25', name: 'Kelahiran Yesus Kristus', kind: 'national_holiday' },
    ],
  },
];

const HOURS = 60 * 60 * 1000;

const JHT_SELF_SERVICE_CAPS: readonly AmountRow[] = [
  {
    // ⚠️ The Rp10 juta cap is reported for 2022-2024 articles; its start month is approximate.
    amount: 10_000_000,
    validFrom: '2022-01',
    validTo: '2025-04',
    source: 'JMO JHT klaim mandiri ≤ Rp10 juta (artikel 2022-2024) [J5]',
  },
  {
    amount: 15_000_000,
    validFrom: '2025-05',
    validTo: null,
    source: 'JMO JHT klaim mandiri ≤ Rp15 juta sejak Mei 2025 [J1][J2][J3]',
  },
];

const BENEFIT_PARAMETERS: readonly BenefitParameters[] = [
  {
    // PP 82/2019 (in force from 2 Dec 2019) raised JKM to 20 jt + 12 jt (24 × 500 rb, paid at once) + 10 jt.
    jkmDeathLumpSum: 20_000_000,
    jkmPeriodicLumpSum: 12_000_000,
    jkmFuneral: 10_000_000,
    jkmTotal: 42_000_000,
    jkkDeathMultiplier: 48, // 60% × 80
    // JKK death also pays santunan berkala 24 × Rp500.000 at once and biaya pemakaman Rp10 jt: at the minimum income
    // 48 jt + 12 jt + 10 jt = Rp70 jt, the amount paid in the 2025 ojol case (domain-rules.md §4.1 [N13][N6][D8]).
    jkkDeathPeriodicLumpSum: 12_000_000,
    jkkDeathFuneral: 10_000_000,
    jkkTotalDisabilityMultiplier: 56, // 70% × 80
    jkkPartialDisabilityMultiplier: 80, // × % from the disability table
    jkkHomecareCap: 20_000_000,
    // STMB 100% of the income for the first 12 months, 50% after, until recovered (§4.1 [N13][S4]). ⚠️ The daily
    // figure as income / 30 is inferred from the Liputan6 "≈Rp33.000/day at Rp1.000.000" example [N6].
    stmbFullMonths: 12,
    stmbFullBps: 10_000,
    stmbReducedBps: 5_000,
    stmbDaysPerMonth: 30,
    scholarshipMaxChildren: 2,
    scholarshipMaxTotal: 174_000_000,
    jkmScholarshipMinContributionMonths: 36,
    validFrom: '2019-12',
    validTo: null,
    source: 'PP 82/2019 (perubahan PP 44/2015): manfaat JKK dan JKM',
  },
];

const JHT_ILLUSTRATIVE_RETURNS: readonly BpsRow[] = [
  // Project decision (domain-rules.md "JHT yearly return", §4.4): the simulator illustrates with the most recently
  // PUBLISHED credited rate. Only 2016 (7,19%) and 2020 (5,63%) are published in the sources; 2021-2025 were not
  // found ❓, and the ≈6,7% 2023 figure is a derived gross yield, not a credited rate, so it is not used.
  {
    bps: 719,
    validFrom: '2017-02', // the 2016 rate was published in February 2017 [N23]
    validTo: '2020-12',
    source: 'Imbal hasil JHT 2016 7,19% (Pasardana 08/02/2017) [N23]; asumsi ilustrasi simulator',
  },
  {
    bps: 563,
    validFrom: '2021-01', // ⚠️ the 2020 rate was reported in 2021 [N24]; the exact month is approximate
    validTo: null,
    source: 'Imbal hasil JHT 2020 5,63% (Pikiran Rakyat 2021) [N24]; asumsi ilustrasi simulator, bukan jaminan',
  },
];

const DUES_OPENING_RULES: readonly DuesOpeningRule[] = [
  {
    // Project decision (issue 4): no regulation says when a BPU month is billed. Opening on the 1st leaves two weeks
    // before the due date (the 15th) and the H-3 reminder, and the dues bill's code is what the reminders point to.
    dayOfMonth: 1,
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'Project decision: tagihan iuran bulanan dibuka tanggal 1 bulan iuran ⚠️',
  },
];

const AUTODEBIT_SCHEDULES: readonly AutodebitScheduleRule[] = [
  {
    // Project decision (issue 4): charge on the due date, retry on the next working day and three working days after
    // the due date; then the member is told to pay manually (the arrears window still lets them pay without a fine).
    workingDaysAfterDue: [0, 1, 3],
    validFrom: BPU_SCHEME_START,
    validTo: null,
    source: 'Project decision: autodebet pada tanggal jatuh tempo, diulang H+1 dan H+3 hari kerja ⚠️',
  },
];

export const defaultRuleBook: RuleBook = {
  incomeLadders: INCOME_LADDERS,
  programRates: PROGRAM_RATES,
  discountRules: DISCOUNT_RULES,
  dueDayRules: DUE_DAY_RULES,
  holidayYears: OFFICIAL_HOLIDAY_YEARS,
  prepaymentOptions: [1, 3, 6, 12],
  firstBillLifetimeMs: 24 * HOURS,
  arrearsWindowMonths: 3,
  policySources: {
    prepaymentOptions: 'Project decision: 1/3/6/12 bulan (seed S0; BPJS Kacab Sulteng menganjurkan 3/6/12) ⚠️',
    firstBillLifetimeMs: 'Project decision: kode bayar pertama ~24 jam (seed S0) ❓',
    arrearsWindowMonths: 'Perdir 22/PERDIR.02/072022; FAQ BPU: tunggakan maks. 3 bulan, >3 bulan nonaktif [P1][F1]',
  },
  jhtSelfServiceCaps: JHT_SELF_SERVICE_CAPS,
  benefitParameters: BENEFIT_PARAMETERS,
  jhtIllustrativeReturns: JHT_ILLUSTRATIVE_RETURNS,
  duesOpeningRules: DUES_OPENING_RULES,
  autodebitSchedules: AUTODEBIT_SCHEDULES,
};
