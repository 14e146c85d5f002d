import type { Lang } from '../i18n/catalogue.js';
import { fill } from '../i18n/catalogue.js';
import { messagesFor } from '../i18n/messages.js';

/**
 * A wrong OTP's error with the tries left on that code ("… Sisa 2 kali percobaan."), the same on every form where a
 * person types a code (sign-in, registration step 3, phone change). `left` null or 0: the text alone (no live code,
 * or the lock explains itself).
 */
export function withTriesLeft(text: string, lang: Lang, left: number | null): string {
  return left === null || left <= 0 ? text : `${text} ${fill(messagesFor(lang).member.triesLeft, { n: left })}`;
}
