import { describe, expect, it } from 'vitest';
import { SNAP_CASES, SNAP_RESPONSE_MESSAGE_MAX, SNAP_SERVICE, snapResponseCode, snapStatus, type SnapCase } from './response-codes.js';

describe('SNAP response codes = HTTP status + service code + case code', () => {
  it('every code is 7 digits and starts with the HTTP status it is sent with', () => {
    for (const service of Object.values(SNAP_SERVICE)) {
      for (const kase of Object.keys(SNAP_CASES) as SnapCase[]) {
        const s = snapStatus(service, kase);
        expect(s.responseCode).toMatch(/^\d{7}$/);
        expect(s.responseCode.slice(0, 3)).toBe(String(s.httpStatus));
        expect(s.responseCode.slice(3, 5)).toBe(service);
      }
    }
  });

  it.each([
    ['accessTokenB2b', 'success', '2007300'],
    ['accessTokenB2b', 'invalidFieldFormat', '4007301'],
    ['accessTokenB2b', 'unauthorized', '4017300'],
    ['vaInquiry', 'success', '2002400'],
    ['vaInquiry', 'billNotFound', '4042412'],
    ['vaInquiry', 'invalidMandatoryField', '4002402'],
    ['vaInquiry', 'unauthorized', '4012400'],
    ['vaInquiry', 'invalidToken', '4012401'],
    ['vaInquiry', 'conflict', '4092400'],
    ['vaPayment', 'success', '2002500'],
    ['vaPayment', 'invalidAmount', '4042513'],
    ['vaPayment', 'paidBill', '4042514'],
    ['vaPayment', 'inconsistentRequest', '4042518'],
    ['vaPayment', 'billExpired', '4042519'],
    ['vaPayment', 'conflict', '4092500'],
    ['vaPayment', 'badRequest', '4002500'],
    ['vaPayment', 'internalServerError', '5002501'],
    ['qrMpmNotify', 'success', '2005200'],
    ['qrMpmNotify', 'invalidMandatoryField', '4005202'],
  ] as const)('%s %s → %s', (service, kase, code) => {
    expect(snapResponseCode(SNAP_SERVICE[service], kase)).toBe(code);
  });

  it('fills the message placeholder with the detail and keeps messages within 150 characters', () => {
    expect(snapStatus(SNAP_SERVICE.vaInquiry, 'invalidFieldFormat', 'X-TIMESTAMP').responseMessage).toBe('Invalid Field Format [X-TIMESTAMP]');
    expect(snapStatus(SNAP_SERVICE.vaPayment, 'unauthorized', 'Signature').responseMessage).toBe('Unauthorized. [Signature]');
    expect(snapStatus(SNAP_SERVICE.vaPayment, 'success').responseMessage).toBe('Successful');
    expect(snapStatus(SNAP_SERVICE.vaPayment, 'invalidMandatoryField', 'x'.repeat(500)).responseMessage).toHaveLength(SNAP_RESPONSE_MESSAGE_MAX);
  });
});
