import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from './language.js';

describe('negotiateLanguage: one negotiator for pages and API errors', () => {
  it.each([
    // [query, cookie, Accept-Language, expected]
    [undefined, undefined, undefined, 'id'],
    [undefined, undefined, '', 'id'],
    [undefined, undefined, 'en', 'en'],
    [undefined, undefined, 'EN', 'en'],
    [undefined, undefined, 'en-US', 'en'],
    [undefined, undefined, 'en_US', 'en'],
    [undefined, undefined, 'en;q=0.9', 'en'],
    [undefined, undefined, 'en-US,en;q=0.9', 'en'],
    [undefined, undefined, 'en-US,en;q=0.9,id;q=0.5', 'en'],
    [undefined, undefined, 'id-ID,id;q=0.9,en;q=0.8', 'id'],
    [undefined, undefined, 'id', 'id'],
    [undefined, undefined, 'fr-FR,fr;q=0.9', 'id'],
    [undefined, undefined, 'fr-FR,en;q=0.5', 'en'],
    [undefined, undefined, 'en;q=0.4, id;q=0.6', 'id'],
    [undefined, undefined, 'id;q=0.3, en', 'en'],
    [undefined, undefined, 'en, id', 'en'],
    [undefined, undefined, 'id, en', 'id'],
    [undefined, undefined, 'id;q=0.8, en;q=0.8', 'id'],
    [undefined, undefined, 'en;q=0', 'id'],
    [undefined, undefined, 'en;q=0.000, fr', 'id'],
    [undefined, undefined, 'en;q=2', 'id'],
    [undefined, undefined, 'en;q=abc', 'id'],
    [undefined, undefined, ' en-GB ; q=0.7 , id ; q = 0.6 ', 'en'],
    [undefined, undefined, '*', 'id'],
    [undefined, undefined, 'english', 'id'],
    [undefined, undefined, 'eng', 'id'],
    [undefined, undefined, ',,;;=\u0000', 'id'],
    [undefined, 'en', 'id', 'en'],
    [undefined, 'id', 'en', 'id'],
    [undefined, 'xx', 'en', 'en'],
    ['en', 'id', 'id', 'en'],
    ['id', 'en', 'en', 'id'],
    ['de', undefined, undefined, 'id'],
  ] as const)('query %j, cookie %j, Accept-Language %j → %s', (query, cookie, acceptLanguage, expected) => {
    expect(negotiateLanguage({ query, cookie, acceptLanguage })).toBe(expected);
  });

  it('a huge header costs nothing and still defaults to Indonesian', () => {
    expect(negotiateLanguage({ acceptLanguage: `${'x-y;q=0.1,'.repeat(100_000)}en` })).toBe('id');
  });
});
