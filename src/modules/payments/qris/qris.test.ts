import { describe, expect, it } from 'vitest';
import { crc16CcittFalse } from './crc16.js';
import {
  appendCrc,
  buildDynamicQris,
  DEV_QRIS_MERCHANT,
  parseAmount,
  parseQris,
  QRIS_MAX_AMOUNT,
  validateQris,
} from './qris.js';
import type { DynamicQrisInput, ParsedQris, QrisMerchant } from './qris.js';
import { buildTlv, parseTlv } from './tlv.js';

/** integrations.md §1.5 — all four CRCs verified against Python binascii.crc_hqx. */
const BAZNAS_STATIC =
  '00020101021126550016ID.CO.SHOPEE.WWW01189360091800000000180202180303UBE51440014ID.CO.QRIS.WWW0215ID20190022915550303UBE5204839853033605802ID5906Baznas6013Jakarta Pusat61051034062070703A016304A402';
const FULUNG_STATIC =
  '00020101021126570011ID.DANA.WWW011893600915387258349102098725834910303UMI51440014ID.CO.QRIS.WWW0215ID10253905048490303UMI5204481453033605802ID5912Fulung Store6014Kota Palembang61053011163047279';
/** ishinvin/ts-khqr README: EMVCo but not QRIS (KHR, Cambodia), UTF-8 in tag 64. */
const KHQR_DYNAMIC =
  '00020101021229420013ishinvin@devb01090123456780208Dev Bank5204599953031165405100005802KH5909Ishin Vin6010Phnom Penh62680114INV-2022-12-250211855123456780310Ishin Shop07060123450807Payment64180002ZH0102文山0202金边9917001316935559673876304AE27';
/** Constructed from BAZNAS_STATIC: 010212, 5405 16800, 62 = bill INV20250817001 + terminal A01. */
const BAZNAS_DYNAMIC =
  '00020101021226550016ID.CO.SHOPEE.WWW01189360091800000000180202180303UBE51440014ID.CO.QRIS.WWW0215ID20190022915550303UBE5204839853033605405168005802ID5906Baznas6013Jakarta Pusat61051034062250114INV202508170010703A0163041E7A';

const BAZNAS_MERCHANT: QrisMerchant = {
  name: 'Baznas',
  city: 'Jakarta Pusat',
  postalCode: '10340',
  mcc: '8398',
  nmid: 'ID2019002291555',
  globalId: 'ID.CO.QRIS.WWW',
  criteria: 'UBE',
  acquirer: { globalId: 'ID.CO.SHOPEE.WWW', merchantPan: '936009180000000018', merchantId: '18' },
};

const PAYMENT_CODE = '8123456789012343';

function parsed(payload: string): ParsedQris {
  const r = parseQris(payload);
  if (!r.ok) {
    throw new Error(`unexpected rejection ${r.code} ${r.field ?? ''} ${r.detail ?? ''}`);
  }
  return r.value;
}

function built(input: Partial<DynamicQrisInput> = {}): string {
  const r = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: 16_800, billNumber: PAYMENT_CODE, ...input });
  if (!r.ok) {
    throw new Error(`unexpected rejection ${r.code} ${r.field ?? ''} ${r.detail ?? ''}`);
  }
  return r.value;
}

/** Deterministic PRNG (mulberry32), so a fuzz failure is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('crc16CcittFalse', () => {
  it.each([
    ['123456789', '29B1'],
    ['', 'FFFF'],
    [BAZNAS_STATIC.slice(0, -4), 'A402'],
    [KHQR_DYNAMIC.slice(0, -4), 'AE27'], // over UTF-8 bytes
  ])('%j → %s', (input, expected) => {
    expect(crc16CcittFalse(input)).toBe(expected);
  });

  it('pads to 4 uppercase hex digits', () => {
    for (let i = 0; i < 2000; i++) {
      expect(crc16CcittFalse(String(i))).toMatch(/^[0-9A-F]{4}$/);
    }
  });
});

/** What Baznas's static QR and the dynamic one constructed from it share. */
const BAZNAS_FIELDS = {
  merchantName: 'Baznas',
  merchantCity: 'Jakarta Pusat',
  postalCode: '10340',
  countryCode: 'ID',
  currency: '360',
  mcc: '8398',
  nmid: 'ID2019002291555',
  merchantPan: '936009180000000018',
  terminalLabel: 'A01',
};

describe('parseQris: the public vectors of integrations.md §1.5', () => {
  it.each([
    {
      label: '1 Baznas static',
      payload: BAZNAS_STATIC,
      expected: {
        pointOfInitiation: 'static',
        ...BAZNAS_FIELDS,
        crc: 'A402',
      },
      amount: undefined,
      billNumber: undefined,
    },
    {
      label: '2 Fulung Store static',
      payload: FULUNG_STATIC,
      expected: {
        pointOfInitiation: 'static',
        merchantName: 'Fulung Store',
        merchantCity: 'Kota Palembang',
        postalCode: '30111',
        countryCode: 'ID',
        currency: '360',
        mcc: '4814',
        nmid: 'ID1025390504849',
        merchantPan: '936009153872583491',
        crc: '7279',
      },
      amount: undefined,
      billNumber: undefined,
    },
    {
      label: '3 KHQR dynamic (not QRIS)',
      payload: KHQR_DYNAMIC,
      expected: {
        pointOfInitiation: 'dynamic',
        merchantName: 'Ishin Vin',
        merchantCity: 'Phnom Penh',
        countryCode: 'KH',
        currency: '116',
        mcc: '5999',
        terminalLabel: '012345',
        crc: 'AE27',
      },
      amount: 10_000,
      billNumber: 'INV-2022-12-25',
    },
    {
      label: '4 Baznas dynamic (constructed)',
      payload: BAZNAS_DYNAMIC,
      expected: {
        pointOfInitiation: 'dynamic',
        ...BAZNAS_FIELDS,
        crc: '1E7A',
      },
      amount: 16_800,
      billNumber: 'INV20250817001',
    },
  ])('$label', ({ payload, expected, amount, billNumber }) => {
    const p = parsed(payload);
    expect(p).toMatchObject(expected);
    expect(p.amount).toBe(amount);
    expect(p.billNumber).toBe(billNumber);
    // Re-encoding the parsed entries gives back the exact payload (order and nesting preserved).
    expect(buildTlv(p.entries)).toEqual({ ok: true, value: payload });
  });

  it('decodes the merchant account templates', () => {
    expect(parsed(BAZNAS_STATIC).merchantAccounts).toEqual([
      { tag: '26', globalId: 'ID.CO.SHOPEE.WWW', pan: '936009180000000018', merchantId: '18', criteria: 'UBE' },
      { tag: '51', globalId: 'ID.CO.QRIS.WWW', merchantId: 'ID2019002291555', criteria: 'UBE' },
    ]);
  });

  it('counts tag 64 lengths in characters, not bytes (KHQR)', () => {
    const lang = parsed(KHQR_DYNAMIC).entries.find((e) => e.tag === '64');
    expect(lang?.children).toEqual([
      { tag: '00', value: 'ZH' },
      { tag: '01', value: '文山' },
      { tag: '02', value: '金边' },
    ]);
  });

  it.each([
    ['Baznas static', BAZNAS_STATIC, true],
    ['Fulung static', FULUNG_STATIC, true],
    ['Baznas dynamic', BAZNAS_DYNAMIC, true],
    ['KHQR is not QRIS', KHQR_DYNAMIC, false],
  ])('validateQris: %s → %s', (_label, payload, isQris) => {
    expect(validateQris(parsed(payload)).ok).toBe(isQris);
  });
});

describe('parseQris rejections', () => {
  const body = BAZNAS_DYNAMIC.slice(0, -8); // without "6304" + CRC
  const replace = (from: string, to: string): string => appendCrc(body.replace(from, to));

  it.each([
    ['empty', '', 'malformed_tlv'],
    ['not TLV', 'hello world', 'malformed_tlv'],
    ['truncated', BAZNAS_STATIC.slice(0, 100), 'bad_length'],
    ['trailing newline', `${BAZNAS_STATIC}\n`, 'malformed_tlv'],
    ['lowercase CRC', BAZNAS_DYNAMIC.replace(/1E7A$/, '1e7a'), 'crc_mismatch'],
    ['Xendit-style masked CRC', `${BAZNAS_DYNAMIC.slice(0, -4)}####`, 'crc_mismatch'],
    ['misterdevs-style CRC', `${BAZNAS_DYNAMIC.slice(0, -4)}M2B3`, 'crc_mismatch'],
    ['no CRC', body, 'missing_tag'],
    ['CRC not last', appendCrc(body).concat('0703A01'), 'bad_order'],
    ['00 not first', appendCrc(body.replace('000201010212', '010212000201')), 'bad_order'],
    ['length 00', appendCrc(`${body}9900`), 'bad_length'],
    ['duplicate tag', appendCrc(`${body}540599999`), 'duplicate_tag'],
    ['broken template', replace('62250114INV202508170010703A01', '6225XX14INV202508170010703A01'), 'malformed_tlv'],
    ['non-ASCII name', replace('5906Baznas', '5906Bäznas'), 'non_ascii'],
    ['control character', replace('5906Baznas', '5906Baz\tas'), 'non_ascii'],
    ['no merchant name', replace('5906Baznas', ''), 'missing_tag'],
    ['no merchant account', appendCrc(body.slice(0, 12) + body.slice(body.indexOf('5204'))), 'missing_tag'],
    ['point of initiation 13', replace('010212', '010213'), 'bad_value'],
    ['format indicator 02', replace('000201', '000202'), 'bad_value'],
    ['MCC not digits', replace('52048398', '5204839X'), 'bad_value'],
    ['name of 26', replace('5906Baznas', `5926${'B'.repeat(26)}`), 'bad_length'],
    ['city of 16', replace('6013Jakarta Pusat', `6016${'J'.repeat(16)}`), 'bad_length'],
    ['fractional rupiah', replace('540516800', '540816800.50'), 'bad_amount'],
    ['amount 0', replace('540516800', '54010'), 'bad_amount'],
    ['amount with comma', replace('540516800', '540516,80'), 'bad_amount'],
    ['amount negative', replace('540516800', '5406-16800'), 'bad_amount'],
    ['payload over 512', appendCrc(body + `99${'99'}${'9'.repeat(99)}`.repeat(5)), 'bad_length'],
  ])('%s → %s', (_label, payload, code) => {
    const r = parseQris(payload);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe(code);
  });

  it('a single changed character in the merchant name or amount fails the CRC', () => {
    for (const [from, to] of [
      ['5906Baznas', '5906Baznaz'],
      ['540516800', '540516900'],
      ['540516800', '540561800'],
    ] as const) {
      const r = parseQris(BAZNAS_DYNAMIC.replace(from, to));
      expect(r).toMatchObject({ ok: false, code: 'crc_mismatch' });
    }
  });

  it('every single-character substitution of a valid payload is rejected', () => {
    // CRC-16 detects every burst of ≤ 16 bits, so no ASCII substitution anywhere (the CRC field included) survives.
    const alphabet = ' 0123456789ABCDEFIJXZaz.#-';
    for (const payload of [BAZNAS_STATIC, BAZNAS_DYNAMIC]) {
      for (let i = 0; i < payload.length; i++) {
        for (const c of alphabet) {
          if (c === payload[i]) continue;
          const mutated = payload.slice(0, i) + c + payload.slice(i + 1);
          expect(parseQris(mutated).ok, `position ${i} → ${c}`).toBe(false);
        }
      }
    }
  });

  it('never throws: truncations and random mutations of valid payloads', () => {
    const random = prng(20250817);
    const pick = (s: string): string => s.charAt(Math.floor(random() * s.length));
    const pieces = ['0', '9', '63', '6304', '99', '00', 'A', 'é', '文', '\uD800', '\u0000', '\n', '62', '26'];
    const seeds = [BAZNAS_STATIC, FULUNG_STATIC, KHQR_DYNAMIC, BAZNAS_DYNAMIC, built()];
    let rejected = 0;
    let runs = 0;
    for (const seed of seeds) {
      for (let cut = 0; cut <= seed.length; cut++) {
        for (const s of [seed.slice(0, cut), seed.slice(cut)]) {
          runs++;
          const r = parseQris(s);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) rejected++;
        }
      }
      for (let n = 0; n < 3000; n++) {
        let s = seed;
        const edits = 1 + Math.floor(random() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(random() * (s.length + 1));
          const op = random();
          const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
          if (op < 0.4) s = s.slice(0, at) + pick('0123456789ABCXYZ') + s.slice(at + 1);
          else if (op < 0.6) s = s.slice(0, at) + piece + s.slice(at);
          else if (op < 0.8) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(random() * 6));
          else s = appendCrc(s.slice(0, at)); // a valid CRC over garbage: the structure checks must catch it
        }
        runs++;
        let r: ReturnType<typeof parseQris> | undefined;
        expect(() => {
          r = parseQris(s);
        }, JSON.stringify(s)).not.toThrow();
        if (r && !r.ok) rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(runs * 0.9);
  });
});

describe('parseAmount (tag 54)', () => {
  it.each([
    ['16800', 16_800],
    ['16800.00', 16_800],
    ['16800.0', 16_800],
    ['100003.00', 100_003],
    ['016800', 16_800],
  ])('%s → %d', (raw, expected) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value: expected });
  });

  it.each(['16800.50', '16800.01', '16800.', '.00', '1e4', '0', '0.00', ' 16800', '16,800', '1234567890.000'])('rejects %j', (raw) => {
    expect(parseAmount(raw).ok).toBe(false);
  });
});

describe('buildDynamicQris', () => {
  it('reproduces the constructed vector 4 byte for byte', () => {
    expect(
      buildDynamicQris({ merchant: BAZNAS_MERCHANT, amount: 16_800, billNumber: 'INV20250817001', terminalLabel: 'A01' }),
    ).toEqual({ ok: true, value: BAZNAS_DYNAMIC });
  });

  it.each([
    ['Rp16.800', 16_800],
    ['Rp36.800', 36_800],
    ['Rp201.600', 201_600],
    ['Rp1', 1],
    ['the cap', QRIS_MAX_AMOUNT],
  ])('round trip %s', (_label, amount) => {
    const payload = built({ amount, terminalLabel: 'WEB01' });
    const p = parsed(payload);
    expect(p).toMatchObject({
      pointOfInitiation: 'dynamic',
      amount,
      currency: '360',
      countryCode: 'ID',
      merchantName: 'BPJS KETENAGAKERJAAN',
      merchantCity: 'JAKARTA',
      postalCode: '12930',
      mcc: '9399',
      nmid: 'ID1020000000001',
      billNumber: PAYMENT_CODE,
      terminalLabel: 'WEB01',
    });
    expect(p.entries.at(-1)?.tag).toBe('63');
    expect(p.entries.map((e) => e.tag)).toEqual(['00', '01', '51', '52', '53', '54', '58', '59', '60', '61', '62', '63']);
    expect(validateQris(p).ok).toBe(true);
    expect(payload).toContain(`54${String(String(amount).length).padStart(2, '0')}${amount}58`);
  });

  it('writes the acquirer template 26 when the merchant has one', () => {
    const p = parsed(built({ merchant: { ...DEV_QRIS_MERCHANT, acquirer: { globalId: 'ID.CO.EXAMPLE.WWW', merchantPan: '9360000000000000001' } } }));
    expect(p.merchantAccounts[0]).toEqual({ tag: '26', globalId: 'ID.CO.EXAMPLE.WWW', pan: '9360000000000000001', criteria: 'UBE' });
    expect(p.merchantPan).toBe('9360000000000000001');
  });

  const merchant = (patch: Partial<QrisMerchant>): QrisMerchant => ({ ...DEV_QRIS_MERCHANT, ...patch });
  it.each<[string, Partial<DynamicQrisInput>, string, string]>([
    ['cap + 1', { amount: QRIS_MAX_AMOUNT + 1 }, 'bad_amount', 'amount'],
    ['0', { amount: 0 }, 'bad_amount', 'amount'],
    ['negative', { amount: -16_800 }, 'bad_amount', 'amount'],
    ['non-integer', { amount: 16_800.5 }, 'bad_amount', 'amount'],
    ['NaN', { amount: Number.NaN }, 'bad_amount', 'amount'],
    ['unsafe integer', { amount: 2 ** 53 }, 'bad_amount', 'amount'],
    ['non-ASCII name', { merchant: merchant({ name: 'BPJS KETENAGAKERJAÄN' }) }, 'non_ascii', 'merchant.name'],
    ['non-ASCII city', { merchant: merchant({ city: 'Jakartá' }) }, 'non_ascii', 'merchant.city'],
    ['name of 26', { merchant: merchant({ name: 'B'.repeat(26) }) }, 'bad_length', 'merchant.name'],
    ['city of 16', { merchant: merchant({ city: 'J'.repeat(16) }) }, 'bad_length', 'merchant.city'],
    ['empty name', { merchant: merchant({ name: '' }) }, 'bad_value', 'merchant.name'],
    ['bad NMID', { merchant: merchant({ nmid: 'ID123' }) }, 'bad_value', 'merchant.nmid'],
    ['bad MCC', { merchant: merchant({ mcc: '939' }) }, 'bad_value', 'merchant.mcc'],
    ['bad postal code', { merchant: merchant({ postalCode: '1293' }) }, 'bad_value', 'merchant.postalCode'],
    ['bad PAN', { merchant: merchant({ acquirer: { globalId: 'ID.CO.X.WWW', merchantPan: '12345' } }) }, 'bad_value', 'merchant.acquirer.merchantPan'],
    ['bill number of 26', { billNumber: '9'.repeat(26) }, 'bad_length', 'billNumber'],
    ['empty bill number', { billNumber: '' }, 'bad_value', 'billNumber'],
    ['non-ASCII terminal label', { terminalLabel: 'KASIR–1' }, 'non_ascii', 'terminalLabel'],
  ])('rejects %s', (_label, patch, code, field) => {
    const r = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: 16_800, billNumber: PAYMENT_CODE, ...patch });
    expect(r).toMatchObject({ ok: false, code, field });
  });

  it('the largest fields still fit and parse back', () => {
    const payload = built({
      merchant: merchant({
        name: 'N'.repeat(25),
        city: 'C'.repeat(15),
        // 4+32 + 4+19 + 4+29 + 4+3 = 99: the acquirer template exactly full.
        acquirer: { globalId: 'G'.repeat(32), merchantPan: '9'.repeat(19), merchantId: 'M'.repeat(29) },
      }),
      amount: QRIS_MAX_AMOUNT,
      billNumber: 'B'.repeat(25),
      referenceLabel: 'R'.repeat(25),
      terminalLabel: 'T'.repeat(25),
    });
    expect(parsed(payload)).toMatchObject({ merchantName: 'N'.repeat(25), referenceLabel: 'R'.repeat(25) });
  });

  it('an acquirer template over 99 characters is rejected against tag 26, not truncated', () => {
    const acquirer = { globalId: 'G'.repeat(32), merchantPan: '9'.repeat(19), merchantId: 'M'.repeat(30) };
    const r = buildDynamicQris({ merchant: merchant({ acquirer }), amount: 16_800, billNumber: PAYMENT_CODE });
    expect(r).toMatchObject({ ok: false, code: 'bad_length', field: '26' });
  });
});

describe('parseTlv / buildTlv', () => {
  it('builds templates from children and parses them back', () => {
    const s = buildTlv([{ tag: '62', children: [{ tag: '01', value: PAYMENT_CODE }] }, { tag: '58', value: 'ID' }]);
    expect(s).toEqual({ ok: true, value: `62200116${PAYMENT_CODE}5802ID` });
    expect(parseTlv(s.ok ? s.value : '', { nested: true })).toEqual({
      ok: true,
      value: [
        { tag: '62', value: `0116${PAYMENT_CODE}`, children: [{ tag: '01', value: PAYMENT_CODE }] },
        { tag: '58', value: 'ID' },
      ],
    });
  });

  it.each([
    [[{ tag: '6', value: 'x' }], 'malformed_tlv'],
    [[{ tag: '59', value: '' }], 'bad_length'],
    [[{ tag: '59', value: 'x'.repeat(100) }], 'bad_length'],
    [[{ tag: '59', value: 'a' }, { tag: '59', value: 'b' }], 'duplicate_tag'],
  ])('buildTlv rejects %j → %s', (entries, code) => {
    expect(buildTlv(entries)).toMatchObject({ ok: false, code });
  });
});

describe('DEV_QRIS_MERCHANT', () => {
  it('is a frozen, obviously fake profile that builds', () => {
    expect(Object.isFrozen(DEV_QRIS_MERCHANT)).toBe(true);
    expect(DEV_QRIS_MERCHANT.nmid).toBe('ID1020000000001');
    expect(DEV_QRIS_MERCHANT.acquirer).toBeUndefined();
    expect(buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: 36_800, billNumber: PAYMENT_CODE }).ok).toBe(true);
  });
});
