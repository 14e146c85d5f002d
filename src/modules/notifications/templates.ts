import { fill, type Lang } from '../../shared/i18n/catalogue.js';
import { humanDateNumeric, humanDay, humanInstant, humanInstantShort, humanMonth, humanMonthShort } from '../../shared/i18n/dates.js';
import { formatRupiah } from '../../shared/money.js';
import { NOTIFICATION_TEXTS, type NotificationText } from './texts.js';

/**
 * The messages members receive, by email or SMS: their data, rendered in Indonesian or English from the catalogue in
 * texts.ts. SMS texts stay under 160 characters so they travel as one part on any phone.
 */
export type Template =
  | { template: 'registration_email_token'; fullName: string; token: string; link: string }
  | { template: 'registration_otp'; otp: string }
  | { template: 'login_otp'; otp: string }
  | { template: 'phone_change_otp'; otp: string }
  | { template: 'email_change_link'; fullName: string; link: string }
  /** The code to continue an unfinished registration, to the e-mail it was registered with (Masuk by e-mail). */
  | { template: 'resume_code_email'; fullName: string; otp: string }
  | { template: 'payment_code'; fullName: string; paymentCode: string; amount: number; expiresAt: string; replacesCode?: string }
  | { template: 'payment_code_sms'; paymentCode: string; amount: number; expiresAt: string; replacesCode?: string }
  | { template: 'card_link_sms'; kpj: string; link: string }
  | { template: 'agent_receipt_sms'; receiptNo: string; amount: number; months: number; checkCode: string; link: string }
  | { template: 'survey_sms'; link: string }
  | { template: 'card_issued'; fullName: string; kpj: string; coveredThrough: string; verifyUrl: string; participantId: string }
  | { template: 'payment_receipt'; fullName: string; kpj: string; amount: number; months: string; paymentCode: string }
  | ({ template: 'due_reminder_email' | 'due_reminder_sms' } & DueReminder)
  | ({ template: 'status_changed_email' | 'status_changed_sms' } & StatusChanged)
  | ({ template: 'autodebit_failed_email' | 'autodebit_failed_sms' } & AutodebitFailed)
  | ({ template: 'autodebit_mandate_email' } & AutodebitMandateChanged)
  | ({ template: 'wallet_credited' } & WalletCredited)
  | ({ template: 'wallet_contribution' } & WalletContribution)
  | ({ template: 'claim_status_email' | 'claim_status_sms' } & ClaimStatusChanged)
  | ({ template: 'claim_paid_sms' | 'claim_payout_failed_sms' } & ClaimPayout)
  | ({ template: 'claim_paid_email' } & ClaimPayout & { fullName: string; claimId: string })
  | { template: 'agent_ended_sms'; agentCode: string; inactiveMonths: number }
  | ({ template: 'sponsorship_consent_sms' } & SponsorshipConsent)
  | ({ template: 'sponsorship_ended_sms' } & SponsorshipEnded)
  | ({ template: 'roster_left_sms' | 'roster_left_email' } & RosterLeft);

/** A member left a payer's roster (src/modules/rosters): from `month` on the member pays their own contributions. */
export interface RosterLeft {
  fullName: string;
  kpj: string;
  /** The payer's name (a partner or a government payer). */
  payer: string;
  month: string;
}

/**
 * Sertakan (src/modules/sponsorship): the worker is asked to consent by SMS (`sponsor` already masked). `otp` is the
 * consent code of an existing member; null for a new worker, whose code is the registration's own OTP SMS.
 */
export interface SponsorshipConsent {
  sponsor: string;
  /** The consent page's link; null in a new code sent from that page (the worker is already on it). */
  link: string | null;
  otp: string | null;
}

function sponsorshipConsentSms(w: Words, t: SponsorshipConsent): string {
  if (t.link === null) return w.say('sponsorshipCodeSms', { otp: t.otp ?? '' });
  return t.otp === null ? w.say('sponsorshipRegistrationSms', { sponsor: t.sponsor, link: t.link }) : w.say('sponsorshipConsentSms', { sponsor: t.sponsor, otp: t.otp, link: t.link });
}

/** A sponsorship ended: told to the sponsor when the worker took over, to the worker when the sponsor stopped. */
export interface SponsorshipEnded {
  reason: 'taken_over' | 'sponsor_stopped';
  /** The worker's name (taken_over, to the sponsor). */
  name: string;
  /** The first month the worker pays themself. */
  month: string;
}

/**
 * A claim of the member was filed or moved (src/modules/claims): `status` is the new state; `total` the entitlement
 * once verified; `reason` the officer's reason of a rejection or a return.
 */
export interface ClaimStatusChanged {
  fullName: string;
  kpj: string;
  claimId: string;
  type: 'JHT' | 'JKK' | 'JKM';
  status: 'submitted' | 'verified' | 'approved' | 'paid' | 'rejected' | 'returned';
  total: number | null;
  reason: string | null;
}

/**
 * A claim's benefit reached the member's bank account (`claim_paid_email` and `claim_paid_sms`: the one email and the
 * one SMS of a paid claim; claims-core sends no `claim_status_*` for `paid`), or its transfer failed for good and waits for
 * staff to re-issue it (`claim_payout_failed_sms`); src/modules/claims/payout-*.ts. `account` is already masked.
 */
export interface ClaimPayout {
  kpj: string;
  type: 'JHT' | 'JKK' | 'JKM';
  amount: number;
  bankCode: string;
  account: string;
}

/**
 * Money reached a member's contribution wallet (src/modules/wallet): a top-up paid with their top-up code, the
 * excess of an overpayment, or unmatched money staff assigned to them. `balance` is the wallet balance right after.
 */
export interface WalletCredited {
  fullName: string;
  kpj: string;
  kind: 'topup' | 'overpayment' | 'manual_assignment';
  amount: number;
  balance: number;
  /** The code the money was paid with (the top-up code, or the overpaid bill's code), if any. */
  paymentCode: string | null;
}

/** The wallet paid the contribution months firstMonth..lastMonth (the receipt of a wallet sweep). */
export interface WalletContribution {
  fullName: string;
  kpj: string;
  amount: number;
  firstMonth: string;
  lastMonth: string;
  balance: number;
}

/**
 * A due-date reminder of the monthly cycle (queued by notifications/due-reminders.ts): `kind` h3 (three days before
 * the due date), due (on it) or overdue (after it). The member owes `monthCount` months from `firstMonth` through
 * `month`; `amount` is their total (null when it could not be priced); `payBy` is the last day on which paying still
 * keeps the membership from becoming inactive.
 */
export interface DueReminder {
  fullName: string;
  kpj: string;
  kind: 'h3' | 'due' | 'overdue';
  month: string;
  firstMonth: string;
  monthCount: number;
  dueDate: string;
  amount: number | null;
  payBy: string | null;
}

/**
 * An auto-debit attempt failed (src/modules/autodebit/collect.ts), told once per attempt. `nextAttemptDate` is the
 * next attempt's day, or null when none follows (the last attempt, or a failure the provider says not to retry): the
 * member must then pay manually with `paymentCode` by `payBy`.
 */
export interface AutodebitFailed {
  fullName: string;
  kpj: string;
  month: string;
  amount: number;
  providerName: string;
  accountMasked: string;
  /** A DebitFailureReason code (debit-provider.ts); unknown codes read as a rejection. */
  reason: string;
  attempt: number;
  attempts: number;
  nextAttemptDate: string | null;
  paymentCode: string;
  payBy: string | null;
}

/** A member registered or revoked an auto-debit mandate (a security notice: they should recognise it). */
export interface AutodebitMandateChanged {
  fullName: string;
  kpj: string;
  action: 'registered' | 'revoked';
  providerName: string;
  accountMasked: string;
  date: string;
}

/** A recorded membership status change (membership/status-changes.ts), told to the member. */
export interface StatusChanged {
  fullName: string;
  kpj: string;
  from: 'active' | 'arrears' | 'inactive';
  to: 'active' | 'arrears' | 'inactive';
  effectiveDate: string;
  reason: string;
  coveredThrough: string;
  firstUnpaid: string | null;
  payBy: string | null;
  arrearsWindowMonths: number;
}

export interface RenderedMessage {
  subject: string;
  body: string;
  /** What /dev/outbox exposes under `data`, and what the worker needs to finish the message (e.g. attach the card). */
  data: Record<string, unknown>;
}

/**
 * Renders a message in the recipient's language. Nothing stores a member's language yet, so every caller renders
 * Indonesian (the default); the English texts stand ready in texts.ts for when one does.
 */
export function renderTemplate(t: Template, lang: Lang = 'id'): RenderedMessage {
  const w = wordsFor(lang);
  switch (t.template) {
    case 'registration_email_token':
      return { ...registrationEmail(w, t), data: { token: t.token } };
    case 'registration_otp':
      return { subject: '', body: w.say('registrationOtpSms', { otp: t.otp }), data: { otp: t.otp } };
    case 'login_otp':
      return { subject: '', body: w.say('loginOtpSms', { otp: t.otp }), data: { otp: t.otp } };
    case 'phone_change_otp':
      return { subject: '', body: w.say('phoneChangeOtpSms', { otp: t.otp }), data: { otp: t.otp } };
    case 'resume_code_email':
    case 'email_change_link':
      return shortLetter(w, t);
    case 'payment_code':
      return { ...paymentCodeEmail(w, t), data: { paymentCode: t.paymentCode } };
    case 'payment_code_sms':
      return { subject: '', body: paymentCodeSms(w, t), data: { paymentCode: t.paymentCode } };
    case 'card_link_sms':
      return { subject: '', body: w.say('cardLinkSms', { kpj: t.kpj, link: t.link }), data: { kpj: t.kpj } };
    case 'agent_receipt_sms':
      return { subject: '', body: w.say('agentReceiptSms', { amount: formatRupiah(t.amount), months: String(t.months), receiptNo: t.receiptNo, checkCode: t.checkCode, link: t.link }), data: { receiptNo: t.receiptNo, checkCode: t.checkCode } };
    case 'survey_sms':
      return { subject: '', body: w.say('surveySms', { link: t.link }), data: { link: t.link } };
    case 'card_issued':
      return { ...cardEmail(w, t), data: { kpj: t.kpj, participantId: t.participantId, attachCard: true } };
    case 'payment_receipt':
      return { ...receiptEmail(w, t), data: { kpj: t.kpj } };
    case 'due_reminder_email':
      return { ...dueReminderEmail(w, t), data: { kpj: t.kpj, kind: t.kind, month: t.month, amount: t.amount } };
    case 'due_reminder_sms':
      return { subject: '', body: dueReminderSms(w, t), data: { kpj: t.kpj, kind: t.kind, month: t.month, amount: t.amount } };
    case 'status_changed_email':
      return { ...statusChangedEmail(w, t), data: { kpj: t.kpj, from: t.from, to: t.to, effectiveDate: t.effectiveDate, reason: t.reason } };
    case 'status_changed_sms':
      return { subject: '', body: statusChangedSms(w, t), data: { kpj: t.kpj, from: t.from, to: t.to, effectiveDate: t.effectiveDate, reason: t.reason } };
    case 'autodebit_failed_email':
      return { ...autodebitFailedEmail(w, t), data: { kpj: t.kpj, month: t.month, attempt: t.attempt, final: t.nextAttemptDate === null, paymentCode: t.paymentCode } };
    case 'autodebit_failed_sms':
      return { subject: '', body: autodebitFailedSms(w, t), data: { kpj: t.kpj, month: t.month, attempt: t.attempt, final: t.nextAttemptDate === null, paymentCode: t.paymentCode } };
    case 'autodebit_mandate_email':
      return { ...autodebitMandateEmail(w, t), data: { kpj: t.kpj, action: t.action } };
    case 'wallet_credited':
      return { ...walletCreditedEmail(w, t), data: { kpj: t.kpj, kind: t.kind, amount: t.amount, balance: t.balance } };
    case 'wallet_contribution':
      return { ...walletContributionEmail(w, t), data: { kpj: t.kpj, amount: t.amount, firstMonth: t.firstMonth, lastMonth: t.lastMonth, balance: t.balance } };
    case 'claim_status_email':
      return { ...claimStatusEmail(w, t), data: { kpj: t.kpj, claimId: t.claimId, status: t.status } };
    case 'claim_status_sms':
      return { subject: '', body: claimStatusSms(w, t), data: { kpj: t.kpj, claimId: t.claimId, status: t.status } };
    case 'claim_paid_email':
      return { ...claimPaidEmail(w, t), data: { kpj: t.kpj, claimId: t.claimId, type: t.type, amount: t.amount } };
    case 'claim_paid_sms':
    case 'claim_payout_failed_sms': {
      const key = t.template === 'claim_paid_sms' ? 'claimPaidSms' : 'claimPayoutFailedSms';
      const body = w.say(key, { type: t.type, amount: formatRupiah(t.amount), bank: t.bankCode, account: t.account, kpj: t.kpj });
      return { subject: '', body, data: { kpj: t.kpj, type: t.type, amount: t.amount } };
    }
    case 'agent_ended_sms':
      return { subject: '', body: w.say('agentEndedSms', { agentCode: t.agentCode, months: t.inactiveMonths }), data: { agentCode: t.agentCode } };
    case 'sponsorship_consent_sms':
      return {
        subject: '',
        body: sponsorshipConsentSms(w, t),
        data: { ...(t.link === null ? {} : { link: t.link }), ...(t.otp === null ? {} : { otp: t.otp }) },
      };
    case 'sponsorship_ended_sms': {
      const body = t.reason === 'taken_over' ? w.say('sponsorshipTakenOverSms', { name: t.name, month: w.monthShort(t.month) }) : w.say('sponsorshipStoppedSms', { month: w.monthShort(t.month) });
      return { subject: '', body, data: { reason: t.reason, month: t.month } };
    }
    case 'roster_left_sms':
      return { subject: '', body: w.say('rosterLeftSms', { payer: t.payer.slice(0, 40), month: w.monthShort(t.month) }), data: { kpj: t.kpj, month: t.month } };
    case 'roster_left_email':
      return {
        subject: w.say('rosterLeftSubject'),
        body: letter(w, t.fullName, [w.say('rosterLeftEmail', { payer: t.payer, month: w.monthLong(t.month), kpj: t.kpj })], [w.say('howToPay')]),
        data: { kpj: t.kpj, month: t.month },
      };
  }
}

/** The two short one-paragraph e-mails: the code to continue a registration, the link to confirm a new address. */
function shortLetter(w: Words, t: Template & { template: 'resume_code_email' | 'email_change_link' }): RenderedMessage {
  if (t.template === 'resume_code_email') {
    return { subject: w.say('resumeCodeSubject'), body: letter(w, t.fullName, [w.say('resumeCodeEmail', { otp: t.otp })], [w.say('resumeCodeIgnore')]), data: { otp: t.otp } };
  }
  return { subject: w.say('emailChangeSubject'), body: letter(w, t.fullName, [w.say('emailChangeLink', { link: t.link })], [w.say('emailChangeIgnore')]), data: { link: t.link } };
}

/** The payment code by SMS; when it replaces an unpaid code, it says which one no longer works. */
function paymentCodeSms(w: Words, t: Template & { template: 'payment_code_sms' }): string {
  const body = w.say('paymentCodeSms', { paymentCode: t.paymentCode, amount: formatRupiah(t.amount), expiresAt: w.instantShort(t.expiresAt) });
  return body + (t.replacesCode ? w.say('paymentCodeReplacesSmsPart', { oldCode: t.replacesCode }) : '');
}

type Params = Record<string, string | number>;
type Email = { subject: string; body: string };

/** One language's texts (filled by the catalogues' `fill`) and its dates (src/shared/i18n/dates.ts: never ISO). */
interface Words {
  say(key: NotificationText, params?: Params): string;
  /** An optional fragment: its text when `when` holds, else ''. */
  part(when: unknown, key: NotificationText, params?: Params): string;
  /** '2026-12' → 'Desember 2026' / 'December 2026'. */
  monthLong(month: string): string;
  /** '2026-12' → 'Des 2026' / 'Dec 2026' (SMS). */
  monthShort(month: string): string;
  /** '2026-12-15' → '15 Desember 2026' / '15 December 2026'. */
  dateLong(date: string): string;
  /** '2026-12-15' → '15/12/2026' (SMS, both languages). */
  dateShort(date: string): string;
  /** '2026-12-08T11:17:50+07:00' → 'Selasa, 8 Desember 2026 pukul 11.17 WIB'. */
  instant(instant: string): string;
  /** '2026-12-08T11:17:50+07:00' → '8 Des 2026 pukul 11.17 WIB' (SMS). */
  instantShort(instant: string): string;
  /** '2026-12' or '2026-10 s.d. 2026-12' (the settlement functions' receipt months) → 'Oktober 2026 s.d. Desember 2026'. */
  months(months: string): string;
}

const WORDS = new Map<Lang, Words>();

function wordsFor(lang: Lang): Words {
  let w = WORDS.get(lang);
  if (!w) {
    const texts = NOTIFICATION_TEXTS[lang];
    const say = (key: NotificationText, params: Params = {}) => fill(texts[key], params);
    w = {
      say,
      part: (when, key, params) => (when ? say(key, params) : ''),
      monthLong: (m) => humanMonth(m, lang),
      monthShort: (m) => humanMonthShort(m, lang),
      dateLong: (d) => humanDay(d, lang),
      dateShort: (d) => humanDateNumeric(d),
      instant: (i) => humanInstant(i, lang),
      instantShort: (i) => humanInstantShort(i, lang),
      months: (text) => {
        const [first, last] = text.split(' s.d. ');
        return last === undefined ? humanMonth(text, lang) : say('monthRange', { first: humanMonth(first ?? '', lang), last: humanMonth(last, lang) });
      },
    };
    WORDS.set(lang, w);
  }
  return w;
}

/** An email body: the greeting, a blank line, the lines, and (when given) a blank line and the closing lines. */
function letter(w: Words, fullName: string, lines: string[], closing: string[] = []): string {
  return [w.say('greeting', { fullName }), '', ...lines, ...(closing.length > 0 ? ['', ...closing] : [])].join('\n');
}

function registrationEmail(w: Words, t: Extract<Template, { template: 'registration_email_token' }>): Email {
  return {
    subject: w.say('registrationSubject'),
    body: letter(
      w,
      t.fullName,
      [w.say('registrationThanks'), w.say('registrationToken', { token: t.token }), w.say('registrationLink', { link: t.link })],
      [w.say('registrationIgnore')],
    ),
  };
}

function paymentCodeEmail(w: Words, t: Extract<Template, { template: 'payment_code' }>): Email {
  return {
    subject: w.say('paymentCodeSubject', { paymentCode: t.paymentCode }),
    body: letter(
      w,
      t.fullName,
      [
        w.say('paymentCodeLine', { paymentCode: t.paymentCode }),
        w.say('paymentCodeAmount', { amount: formatRupiah(t.amount) }),
        w.say('paymentCodeExpires', { expiresAt: w.instant(t.expiresAt) }),
        ...(t.replacesCode ? [w.say('paymentCodeReplaces', { oldCode: t.replacesCode })] : []),
      ],
      [w.say('paymentCodeChannels')],
    ),
  };
}

function cardEmail(w: Words, t: Extract<Template, { template: 'card_issued' }>): Email {
  return {
    subject: w.say('cardSubject', { kpj: t.kpj }),
    body: [
      w.say('cardActive', { fullName: t.fullName }),
      '',
      w.say('kpjLine', { kpj: t.kpj }),
      w.say('cardCoveredThrough', { coveredThrough: w.monthLong(t.coveredThrough) }),
      w.say('cardAttached', { verifyUrl: t.verifyUrl }),
      '',
      w.say('payBy15th'),
    ].join('\n'),
  };
}

function receiptEmail(w: Words, t: Extract<Template, { template: 'payment_receipt' }>): Email {
  return {
    subject: w.say('receiptSubject', { kpj: t.kpj }),
    body: letter(w, t.fullName, [w.say('receiptReceived', { amount: formatRupiah(t.amount), months: w.months(t.months), paymentCode: t.paymentCode }), w.say('thanksKeepActive')]),
  };
}

function monthsOwed(w: Words, t: DueReminder, format: (m: string) => string): string {
  return t.monthCount > 1 ? w.say('monthRange', { first: format(t.firstMonth), last: format(t.month) }) : format(t.month);
}

const DUE_SUBJECT = { h3: 'dueSubjectH3', due: 'dueSubjectDue', overdue: 'dueSubjectOverdue' } as const;
const DUE_LEAD = { h3: 'dueLeadH3', due: 'dueLeadDue', overdue: 'dueLeadOverdue' } as const;
const DUE_SMS = { h3: 'dueSmsH3', due: 'dueSmsDue', overdue: 'dueSmsOverdue' } as const;

function dueReminderEmail(w: Words, t: DueReminder): Email {
  const owed = monthsOwed(w, t, w.monthLong);
  const when = { month: w.monthLong(t.month), dueDate: w.dateLong(t.dueDate) };
  const amountLine = t.amount === null ? w.say('dueOwed', { owed }) : w.say('dueAmount', { amount: formatRupiah(t.amount), owed });
  const payBy = t.payBy === null ? null : w.dateLong(t.payBy);
  // Several months owed: name the first and the last day before inactive; one month overdue: only that day.
  const payByLine =
    payBy === null
      ? null
      : t.monthCount > 1
        ? w.say('dueArrears', { firstMonth: w.monthLong(t.firstMonth), payBy })
        : t.kind === 'overdue'
          ? w.say('duePayBy', { payBy })
          : null;
  const lines = [w.say(DUE_LEAD[t.kind], when), amountLine, ...(payByLine === null ? [] : [payByLine])];
  return {
    subject: w.say(DUE_SUBJECT[t.kind], when),
    body: letter(w, t.fullName, lines, [w.say('howToPay'), w.say('kpjLine', { kpj: t.kpj }), '', w.say('dueIgnoreIfPaid')]),
  };
}

/** Under 160 characters: one SMS part on any phone. */
function dueReminderSms(w: Words, t: DueReminder): string {
  return w.say(DUE_SMS[t.kind], {
    owed: monthsOwed(w, t, w.monthShort),
    amountPart: w.part(t.amount !== null, 'smsAmountPart', { amount: formatRupiah(t.amount ?? 0) }),
    dueDate: w.dateShort(t.dueDate),
    payByPart: w.part(t.payBy !== null, 'smsPayByPart', { payBy: t.payBy === null ? '' : w.dateShort(t.payBy) }),
    kpj: t.kpj,
  });
}

const STATUS_NAME = { active: 'statusActive', arrears: 'statusArrears', inactive: 'statusInactive' } as const;

function statusChangedLines(w: Words, t: StatusChanged): string[] {
  const since = w.dateLong(t.effectiveDate);
  const firstUnpaid = t.firstUnpaid ? w.monthLong(t.firstUnpaid) : '';
  const months = t.arrearsWindowMonths;
  switch (t.to) {
    case 'arrears':
      return t.from === 'inactive'
        ? [w.say('statusBackInArrears', { since })]
        : [
            w.say('statusArrearsSince', { since, firstUnpaid }),
            w.say('statusArrearsCover'),
            w.say('statusArrearsWindow', { months, payByPart: w.part(t.payBy, 'statusArrearsPayByPart', { payBy: t.payBy ? w.dateLong(t.payBy) : '' }) }),
            w.say('howToPay'),
          ];
    case 'inactive':
      return [
        w.say('statusInactiveSince', { since, months, sincePart: w.part(t.firstUnpaid, 'statusInactiveSincePart', { firstUnpaid }) }),
        w.say('statusInactiveCover'),
        w.say('statusInactiveHowTo'),
      ];
    case 'active':
      return t.from === 'inactive' ? [w.say('statusReactivated', { since }), w.say('payBy15th')] : [w.say('statusArrearsPaid', { since })];
  }
}

function statusChangedEmail(w: Words, t: StatusChanged): Email {
  return {
    subject: w.say('statusSubject', { status: w.say(STATUS_NAME[t.to]) }),
    body: letter(w, t.fullName, statusChangedLines(w, t), [w.say('kpjLine', { kpj: t.kpj })]),
  };
}

function statusChangedSms(w: Words, t: StatusChanged): string {
  const p = { since: w.dateShort(t.effectiveDate), kpj: t.kpj, months: t.arrearsWindowMonths };
  switch (t.to) {
    case 'arrears':
      return t.from === 'inactive'
        ? w.say('statusSmsBackInArrears', p)
        : w.say('statusSmsArrears', {
            ...p,
            firstUnpaid: t.firstUnpaid ? w.monthShort(t.firstUnpaid) : '',
            payByPart: w.part(t.payBy, 'smsPayByPart', { payBy: t.payBy ? w.dateShort(t.payBy) : '' }),
          });
    case 'inactive':
      return w.say('statusSmsInactive', p);
    case 'active':
      return w.say(t.from === 'inactive' ? 'statusSmsReactivated' : 'statusSmsArrearsPaid', p);
  }
}

function walletCreditedEmail(w: Words, t: WalletCredited): Email {
  const amount = formatRupiah(t.amount);
  const code = { paymentCode: t.paymentCode ?? '' };
  const why =
    t.kind === 'topup'
      ? w.say('walletTopup', { amount, codePart: w.part(t.paymentCode, 'walletTopupCodePart', code) })
      : t.kind === 'overpayment'
        ? w.say('walletOverpayment', { amount, codePart: w.part(t.paymentCode, 'walletOverpaymentCodePart', code) })
        : w.say('walletManual', { amount });
  return {
    subject: w.say('walletCreditedSubject', { amount, kpj: t.kpj }),
    body: letter(w, t.fullName, [why, w.say('walletBalanceNow', { balance: formatRupiah(t.balance) }), w.say('walletAutoPay')]),
  };
}

function walletContributionEmail(w: Words, t: WalletContribution): Email {
  const months = t.firstMonth === t.lastMonth ? w.monthLong(t.firstMonth) : w.say('monthRange', { first: w.monthLong(t.firstMonth), last: w.monthLong(t.lastMonth) });
  return {
    subject: w.say('walletPaidSubject', { kpj: t.kpj }),
    body: letter(w, t.fullName, [
      w.say('walletPaid', { amount: formatRupiah(t.amount), months }),
      w.say('walletBalanceLeft', { balance: formatRupiah(t.balance) }),
      w.say('thanksKeepActive'),
    ]),
  };
}

/** DebitFailureReason codes (debit-provider.ts) → their text; an unknown code reads as a rejection. */
const DEBIT_FAILURE: Record<string, NotificationText> = {
  insufficient_funds: 'debitInsufficientFunds',
  account_inactive: 'debitAccountInactive',
  limit_exceeded: 'debitLimitExceeded',
  rejected: 'debitRejected',
};

function debitFailureText(w: Words, reason: string): string {
  return w.say(DEBIT_FAILURE[reason] ?? 'debitRejected');
}

function autodebitFailedEmail(w: Words, t: AutodebitFailed): Email {
  const month = w.monthLong(t.month);
  const account = w.say('mandateAccount', { providerName: t.providerName, accountMasked: t.accountMasked });
  const lead = w.say('debitFailedLead', { month, amount: formatRupiah(t.amount), account, reason: debitFailureText(w, t.reason) });
  const next = t.nextAttemptDate === null ? null : w.dateLong(t.nextAttemptDate);
  const lines =
    next !== null
      ? [lead, w.say('debitRetry', { date: next, attempt: t.attempt + 1, attempts: t.attempts }), w.say('debitPayNow', { paymentCode: t.paymentCode })]
      : [
          lead,
          w.say(t.attempt >= t.attempts ? 'debitLastAttempt' : 'debitNoRetry'),
          w.say('debitPayManually', { paymentCode: t.paymentCode, payByPart: w.part(t.payBy, 'debitPayManuallyPayByPart', { payBy: t.payBy ? w.dateLong(t.payBy) : '' }) }),
          w.say('debitCheckAccount'),
        ];
  return {
    subject: next !== null ? w.say('debitFailedSubjectRetry', { month, date: next }) : w.say('debitFailedSubjectManual', { month }),
    body: letter(w, t.fullName, lines, [w.say('kpjLine', { kpj: t.kpj })]),
  };
}

/** Under 160 characters: one SMS part on any phone. */
function autodebitFailedSms(w: Words, t: AutodebitFailed): string {
  const head = w.say('debitSmsHead', { month: w.monthShort(t.month), amount: formatRupiah(t.amount), reason: debitFailureText(w, t.reason) });
  return t.nextAttemptDate !== null
    ? w.say('debitSmsRetry', { head, date: w.dateShort(t.nextAttemptDate), kpj: t.kpj })
    : w.say('debitSmsManual', { head, paymentCode: t.paymentCode, payByPart: w.part(t.payBy, 'debitSmsPayByPart', { payBy: t.payBy ? w.dateShort(t.payBy) : '' }), kpj: t.kpj });
}

function autodebitMandateEmail(w: Words, t: AutodebitMandateChanged): Email {
  const p = { account: w.say('mandateAccount', { providerName: t.providerName, accountMasked: t.accountMasked }), date: w.dateLong(t.date), kpj: t.kpj };
  const registered = t.action === 'registered';
  return {
    subject: w.say(registered ? 'mandateSubjectRegistered' : 'mandateSubjectRevoked', p),
    body: letter(
      w,
      t.fullName,
      registered
        ? [w.say('mandateRegistered', p), w.say('mandateRegisteredHow'), w.say('mandateRegisteredNotYou')]
        : [w.say('mandateRevoked', p), w.say('mandateRevokedNext')],
      [w.say('kpjLine', { kpj: t.kpj })],
    ),
  };
}

const CLAIM_STATUS_LINE = {
  submitted: 'claimSubmitted',
  verified: 'claimVerified',
  approved: 'claimApproved',
  paid: 'claimPaid',
  rejected: 'claimRejected',
  returned: 'claimReturned',
} as const;

function claimStatusEmail(w: Words, t: ClaimStatusChanged): Email {
  const lines = [
    w.say(CLAIM_STATUS_LINE[t.status], { type: t.type, claimId: t.claimId }),
    w.part(t.total !== null && t.status !== 'rejected', 'claimTotal', { total: formatRupiah(t.total ?? 0) }),
    w.part(t.reason, 'claimReason', { reason: t.reason ?? '' }),
  ].filter((l) => l !== '');
  return { subject: w.say('claimSubject', { type: t.type, kpj: t.kpj }), body: letter(w, t.fullName, lines, [w.say('kpjLine', { kpj: t.kpj })]) };
}

function claimPaidEmail(w: Words, t: Extract<Template, { template: 'claim_paid_email' }>): Email {
  const line = w.say('claimPaidEmail', { type: t.type, claimId: t.claimId, amount: formatRupiah(t.amount), bank: t.bankCode, account: t.account });
  return { subject: w.say('claimSubject', { type: t.type, kpj: t.kpj }), body: letter(w, t.fullName, [line, w.say('claimPaidEmailCheck')], [w.say('kpjLine', { kpj: t.kpj })]) };
}

/** Under 160 characters: one SMS part on any phone (the reason stays in the email). */
function claimStatusSms(w: Words, t: ClaimStatusChanged): string {
  return w.say('claimSms', { type: t.type, status: w.say(CLAIM_STATUS_WORD[t.status]), kpj: t.kpj });
}

const CLAIM_STATUS_WORD = {
  submitted: 'claimWordSubmitted',
  verified: 'claimWordVerified',
  approved: 'claimWordApproved',
  paid: 'claimWordPaid',
  rejected: 'claimWordRejected',
  returned: 'claimWordReturned',
} as const;
