import { describe, expect, it } from 'vitest';
import { clientCredentials, clientUsable, parseScopes } from './credentials.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('partner client credentials', () => {
  it.each([
    ['basic', basic('pc_1:s3cret'), {}, { clientId: 'pc_1', clientSecret: 's3cret' }],
    ['basic, form-urlencoded inside', basic('pc_1:a%3Ab'), {}, { clientId: 'pc_1', clientSecret: 'a:b' }],
    ['form', undefined, { client_id: 'pc_1', client_secret: 'x' }, { clientId: 'pc_1', clientSecret: 'x' }],
    ['both', basic('pc_1:x'), { client_id: 'pc_1', client_secret: 'x' }, null],
    ['none', undefined, {}, null],
    ['no colon', basic('pc_1'), {}, null],
    ['form without secret', undefined, { client_id: 'pc_1' }, null],
  ])('%s', (_name, header, form, expected) => {
    expect(clientCredentials(header, form)).toEqual(expected);
  });

  it.each([
    [undefined, ['enrolment', 'members', 'webhooks']],
    [['members'], ['members']],
    [['members', 'members'], null],
    [['admin'], null],
    [[], null],
  ])('scopes %j', (given, expected) => {
    expect(parseScopes(given)).toEqual(expected);
  });

  it('a client is usable until revoked or expired', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(clientUsable({ revoked_at: null, expires_at: null }, now)).toBe(true);
    expect(clientUsable({ revoked_at: now, expires_at: null }, now)).toBe(false);
    expect(clientUsable({ revoked_at: null, expires_at: now }, now)).toBe(false);
    expect(clientUsable({ revoked_at: null, expires_at: new Date(now.getTime() + 1) }, now)).toBe(true);
  });
});
