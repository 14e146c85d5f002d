import { createHmac, createPrivateKey, createPublicKey, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_SNAP_PARTNER_PUBLIC_KEY } from './dev-partner-key.js';
import {
  accessTokenStringToSign,
  bodyDigestHex,
  checkSnapTimestamp,
  formatSnapTimestamp,
  minifyJson,
  parseSnapDateTime,
  parseSnapTimestamp,
  signTransaction,
  SNAP_TIMESTAMP_TOLERANCE_MS,
  transactionStringToSign,
  verifyAccessTokenSignature,
  verifyTransactionSignature,
} from './signature.js';

/** integrations.md §2.3 — verified with Node crypto and Python hmac. */
const VECTOR = {
  body: '{"partnerServiceId":"   12345","customerNo":"0001234567890123","virtualAccountNo":"   123450001234567890123","inquiryRequestId":"abcdef-123456-abcdef"}',
  digest: '56d237771e1d43e07538b3135145e6bb896ef9febe607017e8977d1bc5805c4f',
  stringToSign:
    'POST:/v1.0/transfer-va/inquiry:token123:56d237771e1d43e07538b3135145e6bb896ef9febe607017e8977d1bc5805c4f:2025-08-17T10:00:00+07:00',
  secret: 'clientsecret123',
  signature: 'gnCg82Wj2RvAPJGnhT9CbUxbxqY4aoiHH5TKOGXVHeyhYCc3aLf+K7UGWR4pX3b2ipFkL89JDOLeVI7jnZHBkQ==',
};

describe('minifyJson', () => {
  it('removes whitespace outside strings and keeps everything else byte for byte', () => {
    const pretty = `{\n  "partnerServiceId" : "   12345",\r\n\t"customerNo": "0001234567890123",\n  "virtualAccountNo": "   123450001234567890123",\n  "inquiryRequestId": "abcdef-123456-abcdef"\n}\n`;
    expect(minifyJson(pretty)).toBe(VECTOR.body);
  });

  it('keeps spaces, escaped quotes and backslashes inside strings; never reorders keys or re-escapes', () => {
    expect(minifyJson('{ "b" : "a \\" b" , "a": [ 1 , 2 ] }')).toBe('{"b":"a \\" b","a":[1,2]}');
    expect(minifyJson('{ "p" : "C:\\\\ x" , "q" : 1 }')).toBe('{"p":"C:\\\\ x","q":1}');
    expect(minifyJson('{ "2": 1, "1": "\\u00e9 é" }')).toBe('{"2":1,"1":"\\u00e9 é"}');
    expect(minifyJson('{"n": null, "t": true}')).toBe('{"n":null,"t":true}');
  });

  it('is the identity on minified JSON and on the empty body', () => {
    expect(minifyJson(VECTOR.body)).toBe(VECTOR.body);
    expect(minifyJson('')).toBe('');
  });
});

describe('transaction string to sign and HMAC-SHA512 (integrations.md §2.3 vector)', () => {
  it('digest, string to sign and signature match the published vector', () => {
    expect(bodyDigestHex(VECTOR.body)).toBe(VECTOR.digest);
    const sts = transactionStringToSign({ method: 'post', endpointUrl: '/v1.0/transfer-va/inquiry', accessToken: 'token123', body: VECTOR.body, timestamp: '2025-08-17T10:00:00+07:00' });
    expect(sts).toBe(VECTOR.stringToSign);
    expect(signTransaction(VECTOR.secret, sts)).toBe(VECTOR.signature);
  });

  it('a pretty-printed body signs the same as its minified form', () => {
    const pretty = JSON.stringify(JSON.parse(VECTOR.body), null, 4);
    expect(transactionStringToSign({ method: 'POST', endpointUrl: '/v1.0/transfer-va/inquiry', accessToken: 'token123', body: pretty, timestamp: '2025-08-17T10:00:00+07:00' })).toBe(VECTOR.stringToSign);
  });

  it('an empty body hashes the empty string', () => {
    expect(transactionStringToSign({ method: 'GET', endpointUrl: '/v1.0/x?a=1', accessToken: 't', body: '', timestamp: 'T' })).toBe(
      'GET:/v1.0/x?a=1:t:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855:T',
    );
  });

  it('verifies Base64 (and tolerated hex) signatures against any candidate; refuses wrong, garbage and empty ones', () => {
    expect(verifyTransactionSignature(VECTOR.secret, [VECTOR.stringToSign], VECTOR.signature)).toBe(true);
    const hex = createHmac('sha512', VECTOR.secret).update(VECTOR.stringToSign).digest('hex');
    expect(verifyTransactionSignature(VECTOR.secret, [VECTOR.stringToSign], hex)).toBe(true);
    expect(verifyTransactionSignature(VECTOR.secret, ['other', VECTOR.stringToSign], VECTOR.signature)).toBe(true);
    expect(verifyTransactionSignature('another-secret', [VECTOR.stringToSign], VECTOR.signature)).toBe(false);
    expect(verifyTransactionSignature(VECTOR.secret, [`${VECTOR.stringToSign} `], VECTOR.signature)).toBe(false);
    expect(verifyTransactionSignature(VECTOR.secret, [VECTOR.stringToSign], VECTOR.signature.slice(0, -4))).toBe(false);
    expect(verifyTransactionSignature(VECTOR.secret, [VECTOR.stringToSign], 'not a signature!')).toBe(false);
    expect(verifyTransactionSignature(VECTOR.secret, [VECTOR.stringToSign], '')).toBe(false);
    expect(verifyTransactionSignature(VECTOR.secret, [], VECTOR.signature)).toBe(false);
  });
});

describe('access token signature (SHA256withRSA over clientId|X-TIMESTAMP)', () => {
  const privateKey = createPrivateKey(readFileSync(new URL('../../../../test/fixtures/snap-partner-dev-private.pem', import.meta.url), 'utf8'));
  const publicKey = createPublicKey(DEV_SNAP_PARTNER_PUBLIC_KEY);
  const ts = '2026-11-22T10:00:00+07:00';
  const sign = (s: string) => createSign('RSA-SHA256').update(s).sign(privateKey, 'base64');

  it('the string to sign is clientId + "|" + X-TIMESTAMP', () => {
    expect(accessTokenStringToSign('lindung-dev-bank', ts)).toBe('lindung-dev-bank|2026-11-22T10:00:00+07:00');
  });

  it('the development key pair verifies; another client id, timestamp or garbage does not', () => {
    const signature = sign(`lindung-dev-bank|${ts}`);
    expect(verifyAccessTokenSignature(publicKey, 'lindung-dev-bank', ts, signature)).toBe(true);
    expect(verifyAccessTokenSignature(publicKey, 'other-bank', ts, signature)).toBe(false);
    expect(verifyAccessTokenSignature(publicKey, 'lindung-dev-bank', '2026-11-22T10:00:01+07:00', signature)).toBe(false);
    expect(verifyAccessTokenSignature(publicKey, 'lindung-dev-bank', ts, 'AAAA')).toBe(false);
    expect(verifyAccessTokenSignature(publicKey, 'lindung-dev-bank', ts, '%%%')).toBe(false);
  });
});

describe('X-TIMESTAMP', () => {
  it('parses yyyy-MM-ddTHH:mm:ssTZD, with fractions and Z tolerated', () => {
    expect(parseSnapTimestamp('2020-12-17T10:55:00+07:00')?.toISOString()).toBe('2020-12-17T03:55:00.000Z');
    expect(parseSnapTimestamp('2020-09-22T01:51:00Z')?.toISOString()).toBe('2020-09-22T01:51:00.000Z');
    expect(parseSnapTimestamp('2020-12-17T10:55:00.123456+07:00')?.toISOString()).toBe('2020-12-17T03:55:00.123Z');
    expect(parseSnapTimestamp('2020-12-16T23:55:00-04:00')?.toISOString()).toBe('2020-12-17T03:55:00.000Z');
  });

  it.each(['2020-12-17T10:55:00', '2020-12-17 10:55:00+07:00', '2026-02-30T10:00:00+07:00', '2026-01-01T24:00:00+07:00', '2026-01-01T10:00:00+15:00', 'yesterday', ''])(
    'refuses %j',
    (value) => {
      expect(parseSnapTimestamp(value)).toBeNull();
    },
  );

  it('accepts a timestamp within ±5 minutes of the server clock, and refuses one outside it', () => {
    const now = new Date('2026-11-22T03:00:00.000Z');
    expect(SNAP_TIMESTAMP_TOLERANCE_MS).toBe(300_000);
    expect(checkSnapTimestamp('2026-11-22T10:00:00+07:00', now)).toEqual({ ok: true, instant: now });
    expect(checkSnapTimestamp('2026-11-22T09:55:00+07:00', now).ok).toBe(true);
    expect(checkSnapTimestamp('2026-11-22T10:05:00+07:00', now).ok).toBe(true);
    expect(checkSnapTimestamp('2026-11-22T09:54:59+07:00', now)).toEqual({ ok: false, reason: 'outside_window' });
    expect(checkSnapTimestamp('2026-11-22T10:05:01+07:00', now)).toEqual({ ok: false, reason: 'outside_window' });
    expect(checkSnapTimestamp('2026-11-22T10:00:00', now)).toEqual({ ok: false, reason: 'format' });
  });

  it('our responses carry WIB without milliseconds; body date-times without a zone are read as WIB', () => {
    expect(formatSnapTimestamp(new Date('2026-11-22T03:00:00.999Z'))).toBe('2026-11-22T10:00:00+07:00');
    expect(parseSnapDateTime('2020-10-20T17:56:57')?.toISOString()).toBe('2020-10-20T10:56:57.000Z');
    expect(parseSnapDateTime('2020-10-20T17:56:57Z')?.toISOString()).toBe('2020-10-20T17:56:57.000Z');
    expect(parseSnapDateTime('20201231T235959Z')).toBeNull();
  });
});
