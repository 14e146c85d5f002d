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
export type Funding = 'self' | 'sponsor' | 'apbn' | 'apbd';
export const FUNDINGS: readonly Funding[] = ['self', 'sponsor', 'apbn', 'apbd'];

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

export type HolidayKind = 'national_holiday' | 'joint_leave';

/** A non-working day: a libur nasional or a cuti bersama from the yearly SKB 3 Menteri. */
export interface Holiday {
  readonly date: LocalDate;
  /** Indonesian name as in the SKB. */
  readonly name: string;
  readonly kind: HolidayKind;
  readonly source: string;
  /** True when the date is a computed estimate, not yet fixed by an SKB. */
  readonly estimated: boolean;
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
  readonly holidays: readonly Holiday[];
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
    programs: ['JKK', 'JKM'],
    bps: 5_000,
    sectors: ['transport'],
    excludedFunding: ['apbn', 'apbd'],
    validFrom: '2026-01',
    validTo: '2027-03',
    source: 'PP 50/2025 Pasal 3, Pasal 4 ayat (1) (sektor transportasi: Januari 2026 - Maret 2027)',
  },
  {
    id: 'PP50-2025-OTHER',
    programs: ['JKK', 'JKM'],
    bps: 5_000,
    sectors: ['other'],
    excludedFunding: ['apbn', 'apbd'],
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
const EST_2027 =
  'Perkiraan: SKB 2027 belum tersedia saat data ini disusun; tanggal tetap/Paskah dihitung, hari raya Islam ' +
  'diperkirakan dengan kriteria MABIMS, Nyepi/Waisak/Imlek dari kalender yang diterbitkan';
const KEPPRES_FIXED = 'Keppres 24/1953 jo. 24/2013 jo. 24/2016 jo. 8/2024 (hari libur tetap)';

function holiday(date: LocalDate, name: string, kind: HolidayKind, source: string, estimated = false): Holiday {
  return { date, name, kind, source, estimated };
}

const HOLIDAYS: readonly Holiday[] = [
  // 2026 — 17 libur nasional + 8 cuti bersama, fixed by the SKB (no estimates).
  holiday('2026-01-01', 'Tahun Baru 2026 Masehi', 'national_holiday', SKB_2026),
  holiday('2026-01-16', "Isra Mi'raj Nabi Muhammad SAW", 'national_holiday', SKB_2026),
  holiday('2026-02-16', 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili', 'joint_leave', SKB_2026),
  holiday('2026-02-17', 'Tahun Baru Imlek 2577 Kongzili', 'national_holiday', SKB_2026),
  holiday('2026-03-18', 'Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)', 'joint_leave', SKB_2026),
  holiday('2026-03-19', 'Hari Suci Nyepi (Tahun Baru Saka 1948)', 'national_holiday', SKB_2026),
  holiday('2026-03-20', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'joint_leave', SKB_2026),
  holiday('2026-03-21', 'Idul Fitri 1447 Hijriah', 'national_holiday', SKB_2026),
  holiday('2026-03-22', 'Idul Fitri 1447 Hijriah', 'national_holiday', SKB_2026),
  holiday('2026-03-23', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'joint_leave', SKB_2026),
  holiday('2026-03-24', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'joint_leave', SKB_2026),
  holiday('2026-04-03', 'Wafat Yesus Kristus', 'national_holiday', SKB_2026),
  holiday('2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)', 'national_holiday', SKB_2026),
  holiday('2026-05-01', 'Hari Buruh Internasional', 'national_holiday', SKB_2026),
  holiday('2026-05-14', 'Kenaikan Yesus Kristus', 'national_holiday', SKB_2026),
  holiday('2026-05-15', 'Cuti Bersama Kenaikan Yesus Kristus', 'joint_leave', SKB_2026),
  holiday('2026-05-27', 'Idul Adha 1447 Hijriah', 'national_holiday', SKB_2026),
  holiday('2026-05-28', 'Cuti Bersama Idul Adha 1447 Hijriah', 'joint_leave', SKB_2026),
  holiday('2026-05-31', 'Hari Raya Waisak 2570 BE', 'national_holiday', SKB_2026),
  holiday('2026-06-01', 'Hari Lahir Pancasila', 'national_holiday', SKB_2026),
  holiday('2026-06-16', '1 Muharam Tahun Baru Islam 1448 Hijriah', 'national_holiday', SKB_2026),
  holiday('2026-08-17', 'Proklamasi Kemerdekaan Republik Indonesia', 'national_holiday', SKB_2026),
  holiday('2026-08-25', 'Maulid Nabi Muhammad SAW', 'national_holiday', SKB_2026),
  holiday('2026-12-24', 'Cuti Bersama Kelahiran Yesus Kristus', 'joint_leave', SKB_2026),
  holiday('2026-12-25', 'Kelahiran Yesus Kristus', 'national_holiday', SKB_2026),

  // 2027 — ❓ PROVISIONAL. No SKB for 2027 was available, so NO cuti bersama are listed yet (they cannot be
  // derived); replace this block with the SKB when it is published. Fixed-date and Easter-based days are exact;
  // rows marked estimated are computed and may move by a day.
  holiday('2027-01-01', 'Tahun Baru 2027 Masehi', 'national_holiday', KEPPRES_FIXED),
  // 27 Rajab 1448: Umm al-Qura and MABIMS hisab give 5 Jan (Tue); a later hilal would make it 6 Jan.
  holiday('2027-01-05', "Isra Mi'raj Nabi Muhammad SAW", 'national_holiday', EST_2027, true),
  // Chinese New Year 2578: new moon 6 Feb 23:56 China time, so 6 Feb (Sat); some ephemerides give 7 Feb.
  holiday('2027-02-06', 'Tahun Baru Imlek 2578 Kongzili', 'national_holiday', EST_2027, true),
  // Nyepi Saka 1949 per published Balinese saka calendars.
  holiday('2027-03-08', 'Hari Suci Nyepi (Tahun Baru Saka 1949)', 'national_holiday', EST_2027, true),
  // 1 Syawal 1448: conjunction 8 Mar 16:30 WIB, hilal below MABIMS at sunset → Ramadan completes 30 days.
  // Umm al-Qura says 9 Mar; Indonesia is expected on 10 Mar.
  holiday('2027-03-10', 'Idul Fitri 1448 Hijriah', 'national_holiday', EST_2027, true),
  holiday('2027-03-11', 'Idul Fitri 1448 Hijriah', 'national_holiday', EST_2027, true),
  holiday('2027-03-26', 'Wafat Yesus Kristus', 'national_holiday', KEPPRES_FIXED),
  holiday('2027-03-28', 'Kebangkitan Yesus Kristus (Paskah)', 'national_holiday', KEPPRES_FIXED),
  holiday('2027-05-01', 'Hari Buruh Internasional', 'national_holiday', KEPPRES_FIXED),
  holiday('2027-05-06', 'Kenaikan Yesus Kristus', 'national_holiday', KEPPRES_FIXED),
  // 10 Zulhijah 1448: 1 Zulhijah expected 8 May (conjunction 6 May after sunset in Indonesia); Umm al-Qura: 16 May.
  holiday('2027-05-17', 'Idul Adha 1448 Hijriah', 'national_holiday', EST_2027, true),
  // Waisak 2571 BE: full moon of 20 May 2027; the Walubi/Kemenag date may differ.
  holiday('2027-05-20', 'Hari Raya Waisak 2571 BE', 'national_holiday', EST_2027, true),
  holiday('2027-06-01', 'Hari Lahir Pancasila', 'national_holiday', KEPPRES_FIXED),
  // 1 Muharam 1449: 6 Jun (Sun) by Umm al-Qura and MABIMS hisab.
  holiday('2027-06-06', '1 Muharam Tahun Baru Islam 1449 Hijriah', 'national_holiday', EST_2027, true),
  holiday('2027-08-17', 'Proklamasi Kemerdekaan Republik Indonesia', 'national_holiday', KEPPRES_FIXED),
  // 12 Rabiulawal 1449: 15 Aug (Sun) by MABIMS hisab; Umm al-Qura: 14 Aug.
  holiday('2027-08-15', 'Maulid Nabi Muhammad SAW', 'national_holiday', EST_2027, true),
  holiday('2027-12-25', 'Kelahiran Yesus Kristus', 'national_holiday', KEPPRES_FIXED),
  // 27 Rajab 1449 falls a second time in 2027: 26 Dec (Sun) by MABIMS hisab; Umm al-Qura: 25 Dec.
  holiday('2027-12-26', "Isra Mi'raj Nabi Muhammad SAW", 'national_holiday', EST_2027, true),
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
  holidays: HOLIDAYS,
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
