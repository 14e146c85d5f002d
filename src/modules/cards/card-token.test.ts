import { createHash, createPrivateKey, sign } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { createCardSigner, verifyCardToken } from './card-token.js';
import type { CardClaims } from './card-token.js';

const claims: CardClaims = { kpj: '24012345678', issuedAt: '2026-11-22T02:00:00.000Z', v: 1 };
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('card token', () => {
  const signer = createCardSigner('test-seed-for-cards');
  const token = signer.sign(claims);

  it('round-trips claims exactly', () => {
    expect(signer.verify(token)).toStrictEqual(claims);
  });

  it('is compact and deterministic', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(token.length).toBeLessThan(200);
    expect(createCardSigner('test-seed-for-cards').sign(claims)).toBe(token);
  });

  it('verifies with only the published public key', () => {
    expect(verifyCardToken(token, signer.publicKeyPem)).toStrictEqual(claims);
    expect(signer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(signer.publicKeyPem).not.toContain('PRIVATE');
  });

  it('rejects every single-character change in payload or signature', () => {
    // Every position, every other alphabet character: also catches base64url's ignored trailing bits.
    let tried = 0;
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') {
        continue;
      }
      for (const c of BASE64URL_ALPHABET) {
        if (c === token[i]) {
          continue;
        }
        const altered = token.slice(0, i) + c + token.slice(i + 1);
        tried++;
        if (signer.verify(altered) !== null) {
          throw new Error(`accepted altered token at position ${i} (${c})`);
        }
      }
    }
    expect(tried).toBe((token.length - 1) * 63);
  });

  it('rejects a token signed with another seed', () => {
    const other = createCardSigner('another-seed');
    expect(other.publicKeyPem).not.toBe(signer.publicKeyPem);
    expect(signer.verify(other.sign(claims))).toBeNull();
    // Same payload with another key's signature spliced on.
    const [payload] = token.split('.');
    const [, foreignSig] = other.sign(claims).split('.');
    expect(signer.verify(`${payload}.${foreignSig}`)).toBeNull();
  });

  it('rejects re-signed altered claims', () => {
    const forged = createCardSigner('attacker').sign({ ...claims, kpj: '99999999999' });
    expect(signer.verify(forged)).toBeNull();
  });

  it('rejects truncated and extended tokens', () => {
    for (let n = 0; n < token.length; n++) {
      expect(signer.verify(token.slice(0, n))).toBeNull();
    }
    expect(signer.verify(`${token}A`)).toBeNull();
    expect(signer.verify(`${token}.`)).toBeNull();
    expect(signer.verify(` ${token}`)).toBeNull();
    expect(signer.verify(`${token}\n`)).toBeNull();
    expect(signer.verify(token.replace('.', '..'))).toBeNull();
  });

  it('returns null for garbage without throwing', () => {
    const garbage = ['', 'a', 'a.b', '.', '...', 'a.b.c', '.abc', 'abc.', '💳.💳', 'x'.repeat(100_000), `${'A'.repeat(5000)}.${'B'.repeat(86)}`];
    for (const g of garbage) {
      expect(signer.verify(g)).toBeNull();
    }
    expect(signer.verify(undefined as unknown as string)).toBeNull();
    expect(signer.verify(42 as unknown as string)).toBeNull();
  });

  it('rejects validly signed payloads that are not card claims', () => {
    // Sign arbitrary JSON with the real key to prove the shape check runs after the signature check.
    const key = createPrivateKey({
      key: Buffer.concat([
        Buffer.from('302e020100300506032b657004220420', 'hex'),
        createHash('sha256').update('test-seed-for-cards').digest(),
      ]),
      format: 'der',
      type: 'pkcs8',
    });
    const signed = (json: string): string => {
      const payload = Buffer.from(json).toString('base64url');
      return `${payload}.${sign(null, Buffer.from(payload), key).toString('base64url')}`;
    };
    expect(signer.verify(signed(JSON.stringify(claims)))).toStrictEqual(claims);
    for (const json of ['null', '1', '"x"', '[]', '{}', 'not json', JSON.stringify({ ...claims, v: 2 }),
      JSON.stringify({ ...claims, kpj: 123 }), JSON.stringify({ ...claims, kpj: '' }),
      JSON.stringify({ ...claims, issuedAt: 'yesterday' }), JSON.stringify({ ...claims, issuedAt: '2026-11-22T09:00:00' })]) {
      expect(signer.verify(signed(json))).toBeNull();
    }
    // Extra fields are dropped, not passed through.
    expect(signer.verify(signed(JSON.stringify({ ...claims, admin: true })))).toStrictEqual(claims);
  });

  it('refuses to sign invalid claims or use an empty seed', () => {
    expect(() => signer.sign({ ...claims, issuedAt: 'not a date' })).toThrow(RangeError);
    expect(() => signer.sign({ ...claims, kpj: '' })).toThrow(RangeError);
    expect(() => createCardSigner('')).toThrow(RangeError);
  });
});
