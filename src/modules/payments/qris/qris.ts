/**
 * QRIS (Bank Indonesia's national QR standard = EMVCo QRCPS merchant-presented mode; integrations.md §1): parse and
 * check a payload, and build a dynamic one.
 *
 * What this is for (§1.3): in production a dynamic QRIS for a bill comes from the acquirer (SNAP qr-mpm-generate,
 * Midtrans or Xendit), because only the acquirer can route the payment and notify us of it. Our own code *validates
 * and displays* what the acquirer returns (CRC, NMID, amount, bill number) and builds fixtures and the development
 * stand-in. Deliberately absent: turning a static merchant QR into a "dynamic" one by rewriting 010211→010212 and
 * inserting an amount — issuers accept such QRs, but the acquirer receives no order reference and sends no callback,
 * so a contribution paid that way cannot be matched to its bill.
 *
 * Pure and dependency-free, so the web portal can run it too.
 */
import { ok, reject } from '../../../shared/result.js';
import type { Result } from '../../../shared/result.js';
import { crc16CcittFalse } from './crc16.js';
import { buildTlv, findTag, parseTlv, tlvLength } from './tlv.js';
import type { TlvEntry, TlvInput, TlvRejection } from './tlv.js';

/** GUID of the national merchant repository template (tag 51) — the one that carries the NMID. */
export const QRIS_NATIONAL_GLOBAL_ID = 'ID.CO.QRIS.WWW';

/**
 * Per-transaction QRIS cap, in rupiah: "Nominal transaksi QRIS dibatasi paling banyak sebesar Rp10 juta per
 * transaksi" (fin.co.id, citing Bank Indonesia; integrations.md §1.3). BI sets it and has raised it before, and an
 * acquirer may impose a lower one — keep it in this one place. BPU contributions are far below it.
 */
export const QRIS_MAX_AMOUNT = 10_000_000;

/** EMVCo limits: the whole payload, merchant name (59), city (60), postal code (61), additional-data fields (62.xx). */
export const QR_PAYLOAD_MAX = 512;
export const MERCHANT_NAME_MAX = 25;
export const MERCHANT_CITY_MAX = 15;
export const POSTAL_CODE_MAX = 10;
export const ADDITIONAL_DATA_FIELD_MAX = 25;
/** EMVCo globally unique identifier (sub-tag 00 of a merchant account template). */
export const GLOBAL_ID_MAX = 32;
/** Our own limit for 26.02 (merchant id at the acquirer): the whole template must stay within 99 characters. */
const ACQUIRER_MERCHANT_ID_MAX = 32;

/** QRIS merchant criteria (sub-tag 03): micro, small, medium, large, regular. */
export const MERCHANT_CRITERIA = ['UMI', 'UKE', 'UME', 'UBE', 'URE'] as const;
export type MerchantCriteria = (typeof MERCHANT_CRITERIA)[number];

export type QrisRejection =
  | TlvRejection
  | 'crc_mismatch'
  | 'missing_tag'
  | 'bad_order'
  | 'non_ascii'
  | 'bad_value'
  | 'bad_amount';

/** One merchant account information template (tags 26–51), as far as QRIS defines its sub-tags. */
export interface MerchantAccount {
  tag: string;
  /** 00: reverse-domain GUID of the PJSP, e.g. "ID.CO.SHOPEE.WWW", or "ID.CO.QRIS.WWW" for tag 51. */
  globalId?: string;
  /** 01: merchant PAN (NNS "9360…", 16–19 digits; no Luhn digit to assume). */
  pan?: string;
  /** 02: merchant id at that PJSP; in tag 51, the NMID. */
  merchantId?: string;
  /** 03: merchant criteria (UMI/UKE/UME/UBE/URE). */
  criteria?: string;
}

export interface ParsedQris {
  pointOfInitiation: 'static' | 'dynamic';
  merchantName: string;
  merchantCity: string;
  postalCode?: string;
  /** ISO 3166 alpha-2 (tag 58); "ID" for QRIS. */
  countryCode: string;
  /** ISO 4217 numeric (tag 53); "360" (IDR) for QRIS. */
  currency: string;
  /** Tag 54 as a whole number in the currency's major unit (rupiah for QRIS). Only whole amounts are accepted. */
  amount?: number;
  /** National Merchant ID: tag 51 sub-tag 02, when tag 51 carries the QRIS GUID. */
  nmid?: string;
  /** Sub-tag 01 of the first merchant account template (26–45) that has one. */
  merchantPan?: string;
  /** ISO 18245 merchant category code (tag 52). */
  mcc: string;
  /** 62.01 — for our dynamic QRs, the bill's payment code. */
  billNumber?: string;
  /** 62.05 */
  referenceLabel?: string;
  /** 62.07 */
  terminalLabel?: string;
  merchantAccounts: MerchantAccount[];
  /** Tag 63, verified. */
  crc: string;
  /** Every data object in payload order, templates decoded (see `isTemplateTag`). */
  entries: TlvEntry[];
}

/** EMVCo "ans": printable ASCII. Only the language template (64) may carry other characters. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const AMOUNT = /^(\d+)(?:\.(\d{1,2}))?$/;
const NMID = /^ID\d{13}$/;
const CRC_FIELD = '6304';

/**
 * Appends tag 63: the CRC runs over everything before it, including its own "6304" header (§1.2).
 * Always the last step after any change to a payload.
 */
export function appendCrc(payloadWithoutCrc: string): string {
  const body = payloadWithoutCrc + CRC_FIELD;
  return body + crc16CcittFalse(body);
}

function text(entries: readonly TlvEntry[] | undefined, tag: string): string | undefined {
  return findTag(entries, tag)?.value;
}

/**
 * Structure → order → CRC: the payload's data objects, tag 00 first and a verified tag 63 last. A payload that still
 * splits into data objects but was altered reports `crc_mismatch` rather than whichever field the alteration broke.
 */
function parseFrame(payload: string): Result<TlvEntry[], QrisRejection> {
  if (typeof payload !== 'string' || payload.length === 0) {
    return reject('malformed_tlv', undefined, 'empty payload');
  }
  // Cheap guard before decoding: UTF-16 code units are never fewer than code points.
  if (payload.length > 4 * QR_PAYLOAD_MAX || tlvLength(payload) > QR_PAYLOAD_MAX) {
    return reject('bad_length', undefined, `payload longer than ${QR_PAYLOAD_MAX} characters`);
  }
  const parsed = parseTlv(payload, { nested: true });
  if (!parsed.ok) {
    return parsed;
  }
  const entries = parsed.value;

  if (entries[0]?.tag !== '00') {
    return findTag(entries, '00') ? reject('bad_order', '00', 'tag 00 must come first') : reject('missing_tag', '00');
  }
  const last = entries[entries.length - 1];
  if (last?.tag !== '63') {
    return findTag(entries, '63') ? reject('bad_order', '63', 'tag 63 must come last') : reject('missing_tag', '63');
  }
  if (last.value.length !== 4) {
    return reject('bad_length', '63', 'CRC must be 4 characters');
  }
  // The CRC value is the last 4 characters of the payload; the checksum covers everything before them.
  const expected = crc16CcittFalse(payload.slice(0, -4));
  if (last.value !== expected) {
    // Uppercase is part of the format: a lowercase CRC is rejected too, which keeps "any single changed character
    // fails" true for the whole payload.
    return reject('crc_mismatch', '63', `expected ${expected}`);
  }
  return ok(entries);
}

/** Printable ASCII outside tag 64, the mandatory tags present, and at least one merchant account template. */
function checkPresence(entries: readonly TlvEntry[]): Result<void, QrisRejection> {
  for (const e of entries) {
    if (e.tag !== '64' && !PRINTABLE_ASCII.test(e.value)) {
      return reject('non_ascii', e.tag, 'printable ASCII only outside tag 64');
    }
  }

  for (const tag of ['01', '52', '53', '58', '59', '60']) {
    if (!findTag(entries, tag)) {
      return reject('missing_tag', tag);
    }
  }
  if (!entries.some((e) => Number(e.tag) >= 2 && Number(e.tag) <= 51)) {
    return reject('missing_tag', '26', 'no merchant account information (tags 02–51)');
  }
  return ok(undefined);
}

/** The formats of the mandatory tags (00, 01, 52, 53, 58) and the lengths of 59, 60 and 61. */
function checkFormats(entries: readonly TlvEntry[]): Result<void, QrisRejection> {
  const v = (tag: string): string => text(entries, tag) ?? '';
  if (v('00') !== '01') {
    return reject('bad_value', '00', 'payload format indicator must be 01');
  }
  const poi = v('01');
  if (poi !== '11' && poi !== '12') {
    return reject('bad_value', '01', 'point of initiation must be 11 (static) or 12 (dynamic)');
  }
  if (!/^\d{4}$/.test(v('52'))) {
    return reject('bad_value', '52', 'MCC must be 4 digits');
  }
  if (!/^\d{3}$/.test(v('53'))) {
    return reject('bad_value', '53', 'currency must be ISO 4217 numeric');
  }
  if (!/^[A-Z]{2}$/.test(v('58'))) {
    return reject('bad_value', '58', 'country must be ISO 3166 alpha-2');
  }
  if (v('59').length > MERCHANT_NAME_MAX) {
    return reject('bad_length', '59', `merchant name longer than ${MERCHANT_NAME_MAX}`);
  }
  if (v('60').length > MERCHANT_CITY_MAX) {
    return reject('bad_length', '60', `merchant city longer than ${MERCHANT_CITY_MAX}`);
  }
  const postalCode = text(entries, '61');
  if (postalCode !== undefined && postalCode.length > POSTAL_CODE_MAX) {
    return reject('bad_length', '61', `postal code longer than ${POSTAL_CODE_MAX}`);
  }
  return ok(undefined);
}

/** Tag 54 when present (whole rupiah, `parseAmount`). */
function readAmountTag(entries: readonly TlvEntry[]): Result<number | undefined, QrisRejection> {
  const rawAmount = text(entries, '54');
  return rawAmount === undefined ? ok(undefined) : parseAmount(rawAmount);
}

/** The merchant account templates (26–51) with the sub-tags QRIS defines. */
function readMerchantAccounts(entries: readonly TlvEntry[]): MerchantAccount[] {
  return entries
    .filter((e) => e.children !== undefined && Number(e.tag) >= 26 && Number(e.tag) <= 51)
    .map((e) => {
      const account: MerchantAccount = { tag: e.tag };
      const [globalId, pan, merchantId, criteria] = ['00', '01', '02', '03'].map((t) => text(e.children, t));
      if (globalId !== undefined) account.globalId = globalId;
      if (pan !== undefined) account.pan = pan;
      if (merchantId !== undefined) account.merchantId = merchantId;
      if (criteria !== undefined) account.criteria = criteria;
      return account;
    });
}

/** The checked entries as a ParsedQris; optional fields only where the payload has them. */
function toParsedQris(entries: TlvEntry[], amount: number | undefined): ParsedQris {
  const v = (tag: string): string => text(entries, tag) ?? '';
  const merchantAccounts = readMerchantAccounts(entries);
  const national = merchantAccounts.find((a) => a.tag === '51' && a.globalId === QRIS_NATIONAL_GLOBAL_ID);
  const withPan = merchantAccounts.find((a) => Number(a.tag) <= 45 && a.pan !== undefined);
  const additional = findTag(entries, '62')?.children;

  const result: ParsedQris = {
    pointOfInitiation: v('01') === '12' ? 'dynamic' : 'static',
    merchantName: v('59'),
    merchantCity: v('60'),
    countryCode: v('58'),
    currency: v('53'),
    mcc: v('52'),
    merchantAccounts,
    crc: (entries[entries.length - 1] as TlvEntry).value,
    entries,
  };
  const optional = {
    postalCode: text(entries, '61'),
    amount,
    nmid: national?.merchantId,
    merchantPan: withPan?.pan,
    billNumber: text(additional, '01'),
    referenceLabel: text(additional, '05'),
    terminalLabel: text(additional, '07'),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      Object.assign(result, { [key]: value });
    }
  }
  return result;
}

/**
 * Parses any EMVCo merchant-presented payload and checks what makes it well-formed: TLV structure, 00 first and
 * 63 last, the CRC, printable ASCII outside tag 64, the mandatory tags and their formats. It does not insist on
 * Indonesia (the KHQR vector in §1.5 parses); `validateQris` adds the QRIS-specific checks.
 *
 * Checks run structure → order → CRC → content: a payload that still splits into data objects but was altered
 * reports `crc_mismatch` rather than whichever field the alteration happened to break. The input is taken as is,
 * with no trimming (a QR decoder returns the exact text; a trailing newline is `malformed_tlv`).
 */
export function parseQris(payload: string): Result<ParsedQris, QrisRejection> {
  const frame = parseFrame(payload);
  if (!frame.ok) {
    return frame;
  }
  const entries = frame.value;
  const present = checkPresence(entries);
  if (!present.ok) {
    return present;
  }
  const formats = checkFormats(entries);
  if (!formats.ok) {
    return formats;
  }
  const amount = readAmountTag(entries);
  if (!amount.ok) {
    return amount;
  }
  return ok(toParsedQris(entries, amount.value));
}

/**
 * Tag 54 → whole rupiah. EMVCo allows a decimal point; QRIS acquirers write "16800" or "16800.00". Rupiah has no
 * sub-unit in practice and our money is integer rupiah (src/shared/money.ts), so a fraction is accepted only when it
 * is zero (".0" or ".00"); "16800.50" is rejected rather than rounded — rounding an amount someone is about to pay
 * would show a figure different from what the payer's app charges. Zero is rejected: it cannot be paid.
 */
export function parseAmount(raw: string): Result<number, 'bad_amount' | 'bad_length'> {
  if (raw.length > 13) {
    return reject('bad_length', '54', 'amount longer than 13 characters');
  }
  const m = AMOUNT.exec(raw);
  if (!m) {
    return reject('bad_amount', '54', 'not a decimal amount');
  }
  if (m[2] !== undefined && !/^0+$/.test(m[2])) {
    return reject('bad_amount', '54', 'fractional rupiah');
  }
  const amount = Number(m[1]);
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    return reject('bad_amount', '54', 'amount must be a positive whole number');
  }
  return ok(amount);
}

/** A parsed payload that is a QRIS: currency IDR, country ID, tag 51 with the national GUID and a well-formed NMID. */
export type Qris = ParsedQris & { nmid: string };

/**
 * The Indonesia-specific checks of §1.6 on top of `parseQris`: 53 = 360, 58 = ID, tag 51 GUID `ID.CO.QRIS.WWW`,
 * NMID `ID` + 13 digits. Use it on what an acquirer returns before showing it to a participant.
 */
export function validateQris(parsed: ParsedQris): Result<Qris, 'not_qris'> {
  if (parsed.currency !== '360') {
    return reject('not_qris', '53', 'currency is not IDR (360)');
  }
  if (parsed.countryCode !== 'ID') {
    return reject('not_qris', '58', 'country is not ID');
  }
  const nmid = parsed.nmid;
  if (nmid === undefined) {
    return reject('not_qris', '51', `no tag 51 with ${QRIS_NATIONAL_GLOBAL_ID} and an NMID`);
  }
  if (!NMID.test(nmid)) {
    return reject('not_qris', '51.02', 'NMID must be ID + 13 digits');
  }
  return ok({ ...parsed, nmid });
}

// ---------------------------------------------------------------------------------------------------------------
// Building

export interface QrisMerchant {
  /** Tag 59: printable ASCII, ≤ 25. */
  name: string;
  /** Tag 60: printable ASCII, ≤ 15. */
  city: string;
  /** Tag 61: 5-digit kode pos. */
  postalCode: string;
  /** Tag 52: ISO 18245, 4 digits. */
  mcc: string;
  /** 51.02: National Merchant ID, ID + 13 digits. */
  nmid: string;
  /** 51.00: always the national repository GUID. */
  globalId: typeof QRIS_NATIONAL_GLOBAL_ID;
  /** 51.03 and 26.03. */
  criteria: MerchantCriteria;
  /** Tag 26, the acquirer's own merchant account template; omitted when absent. */
  acquirer?: {
    /** 26.00, e.g. "ID.CO.SHOPEE.WWW". */
    globalId: string;
    /** 26.01: 16–19 digits (NNS "9360…"); no Luhn check — most real PANs have none (§1.1). */
    merchantPan: string;
    /** 26.02 */
    merchantId?: string;
  };
}

export interface DynamicQrisInput {
  merchant: QrisMerchant;
  /** Integer rupiah, 1 … QRIS_MAX_AMOUNT. */
  amount: number;
  /** 62.01: our payment code. Validated as EMVCo "ans ..25" only; its format belongs to the bills module. */
  billNumber: string;
  /** 62.05 */
  referenceLabel?: string;
  /** 62.07 */
  terminalLabel?: string;
}

export type QrisBuildRejection = 'bad_amount' | 'non_ascii' | 'bad_length' | 'bad_value';

function checkText(value: unknown, field: string, max: number): Result<string, QrisBuildRejection> {
  if (typeof value !== 'string' || value.length === 0) {
    return reject('bad_value', field, 'required');
  }
  if (!PRINTABLE_ASCII.test(value)) {
    return reject('non_ascii', field, 'printable ASCII only');
  }
  if (value.length > max) {
    return reject('bad_length', field, `longer than ${max}`);
  }
  return ok(value);
}

function checkFormat(value: unknown, field: string, pattern: RegExp, what: string): Result<string, QrisBuildRejection> {
  return typeof value === 'string' && pattern.test(value) ? ok(value) : reject('bad_value', field, what);
}

/** The amount: whole rupiah, positive, at most the QRIS per-transaction cap. */
function checkQrisAmount(amount: unknown): Result<number, QrisBuildRejection> {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount)) {
    return reject('bad_amount', 'amount', 'not a whole rupiah amount');
  }
  if (amount <= 0) {
    return reject('bad_amount', 'amount', 'must be positive');
  }
  if (amount > QRIS_MAX_AMOUNT) {
    return reject('bad_amount', 'amount', `above the QRIS per-transaction cap of ${QRIS_MAX_AMOUNT}`);
  }
  return ok(amount);
}

/** Every field of the merchant profile and the bill's additional data, in the order they are reported. */
function dynamicQrisChecks(input: DynamicQrisInput): Result<string, QrisBuildRejection>[] {
  const { merchant } = input;
  const checks: Result<string, QrisBuildRejection>[] = [
    checkText(merchant.name, 'merchant.name', MERCHANT_NAME_MAX),
    checkText(merchant.city, 'merchant.city', MERCHANT_CITY_MAX),
    checkFormat(merchant.postalCode, 'merchant.postalCode', /^\d{5}$/, 'postal code must be 5 digits'),
    checkFormat(merchant.mcc, 'merchant.mcc', /^\d{4}$/, 'MCC must be 4 digits'),
    checkFormat(merchant.nmid, 'merchant.nmid', NMID, 'NMID must be ID + 13 digits'),
    merchant.globalId === QRIS_NATIONAL_GLOBAL_ID
      ? ok(merchant.globalId)
      : reject('bad_value', 'merchant.globalId', `must be ${QRIS_NATIONAL_GLOBAL_ID}`),
    (MERCHANT_CRITERIA as readonly string[]).includes(merchant.criteria)
      ? ok(merchant.criteria)
      : reject('bad_value', 'merchant.criteria', MERCHANT_CRITERIA.join('/')),
    checkText(input.billNumber, 'billNumber', ADDITIONAL_DATA_FIELD_MAX),
  ];
  if (input.referenceLabel !== undefined) {
    checks.push(checkText(input.referenceLabel, 'referenceLabel', ADDITIONAL_DATA_FIELD_MAX));
  }
  if (input.terminalLabel !== undefined) {
    checks.push(checkText(input.terminalLabel, 'terminalLabel', ADDITIONAL_DATA_FIELD_MAX));
  }
  const { acquirer } = merchant;
  if (acquirer !== undefined) {
    checks.push(checkText(acquirer.globalId, 'merchant.acquirer.globalId', GLOBAL_ID_MAX));
    checks.push(checkFormat(acquirer.merchantPan, 'merchant.acquirer.merchantPan', /^\d{16,19}$/, 'PAN must be 16–19 digits'));
    if (acquirer.merchantId !== undefined) {
      checks.push(checkText(acquirer.merchantId, 'merchant.acquirer.merchantId', ACQUIRER_MERCHANT_ID_MAX));
    }
  }
  return checks;
}

/** The data objects of a checked dynamic QRIS, in the order of the real payloads (tag 63 is appended after). */
function dynamicQrisEntries(input: DynamicQrisInput): TlvInput[] {
  const { merchant, amount } = input;
  const { acquirer } = merchant;
  const entries: TlvInput[] = [
    { tag: '00', value: '01' },
    { tag: '01', value: '12' },
  ];
  if (acquirer !== undefined) {
    entries.push({
      tag: '26',
      children: [
        { tag: '00', value: acquirer.globalId },
        { tag: '01', value: acquirer.merchantPan },
        ...(acquirer.merchantId !== undefined ? [{ tag: '02', value: acquirer.merchantId }] : []),
        { tag: '03', value: merchant.criteria },
      ],
    });
  }
  entries.push(
    {
      tag: '51',
      children: [
        { tag: '00', value: merchant.globalId },
        { tag: '02', value: merchant.nmid },
        { tag: '03', value: merchant.criteria },
      ],
    },
    { tag: '52', value: merchant.mcc },
    { tag: '53', value: '360' },
    { tag: '54', value: String(amount) },
    { tag: '58', value: 'ID' },
    { tag: '59', value: merchant.name },
    { tag: '60', value: merchant.city },
    { tag: '61', value: merchant.postalCode },
    {
      tag: '62',
      children: [
        { tag: '01', value: input.billNumber },
        ...(input.referenceLabel !== undefined ? [{ tag: '05', value: input.referenceLabel }] : []),
        ...(input.terminalLabel !== undefined ? [{ tag: '07', value: input.terminalLabel }] : []),
      ],
    },
  );
  return entries;
}

/**
 * A dynamic QRIS (point of initiation 12) for one bill: tags 00, 01, 26 (if the merchant has an acquirer template),
 * 51, 52, 53 = 360, 54, 58 = ID, 59, 60, 61, 62 (01 bill number, 05, 07), 63 — the order of the real payloads in
 * §1.5. Tag 54 is written as whole rupiah without decimals ("16800"), as in those payloads.
 *
 * Over-long or non-ASCII fields are rejected, never truncated: the merchant name and city are shown in the payer's
 * app next to the NMID's registered name, and a silently shortened bill number would no longer match the bill. The
 * merchant profile is configuration, so a rejection here is found the first time a QR is built, not by a payer.
 */
export function buildDynamicQris(input: DynamicQrisInput): Result<string, QrisBuildRejection> {
  const amount = checkQrisAmount(input.amount);
  if (!amount.ok) {
    return amount;
  }
  for (const c of dynamicQrisChecks(input)) {
    if (!c.ok) {
      return c;
    }
  }
  const entries = dynamicQrisEntries(input);
  const body = buildTlv(entries);
  if (!body.ok) {
    // Only a template over 99 characters can get here (every field was checked above): a long acquirer GUID plus a
    // long merchant id. Report it against the template.
    return reject('bad_length', body.field, body.detail);
  }
  const payload = appendCrc(body.value);
  // Everything was validated, so a payload our own parser rejects is a bug in this function, not bad input.
  const check = parseQris(payload);
  if (!check.ok) {
    throw new Error(`buildDynamicQris produced an unparsable payload: ${check.code} ${check.field ?? ''}`);
  }
  return ok(payload);
}

/**
 * DEVELOPMENT STAND-IN, not a real merchant. It lets the portal and tests render a shape-correct dynamic QRIS
 * without an acquirer; no issuer can route a payment to it. The NMID is deliberately fake (ID + "102" + zeros + "1"),
 * and there is no tag 26 because there is no acquirer. In production the dynamic QRIS comes from the acquirer
 * (SNAP qr-mpm-generate, Midtrans, Xendit) and is only checked with `parseQris` + `validateQris`.
 *
 * MCC 9399 "Government Services (not elsewhere classified)": BPJS Ketenagakerjaan is a public legal entity
 * collecting statutory contributions. The notes do not name a code; 6300 (insurance premiums) is the alternative.
 * The real MCC is whatever the acquirer registered for the NMID. Postal code 12930 is the head office (Jl. Gatot
 * Subroto, Jakarta Selatan).
 */
export const DEV_QRIS_MERCHANT: Readonly<QrisMerchant> = Object.freeze({
  name: 'BPJS KETENAGAKERJAAN',
  city: 'JAKARTA',
  postalCode: '12930',
  mcc: '9399',
  nmid: 'ID1020000000001',
  globalId: QRIS_NATIONAL_GLOBAL_ID,
  criteria: 'UBE',
});
