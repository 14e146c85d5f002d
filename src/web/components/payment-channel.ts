import type { Messages } from '../i18n/messages.js';

/** The payment channels (the API's channel codes) the pages name, and their message keys. */
const CHANNEL_KEY = {
  va: 'channelVa',
  qris: 'channelQris',
  ewallet: 'channelEwallet',
  retail: 'channelRetail',
  counter: 'channelCounter',
  autodebit: 'channelAutodebit',
} as const;

/**
 * A payment channel's name in the page's language ('va' → "Virtual account"), or null for a code with no name (each
 * page says what it shows then: the account's history "unknown channel", the wallet's the code itself).
 */
export function paymentChannelName(m: Messages, channel: string | null): string | null {
  return channel !== null && channel in CHANNEL_KEY ? m.member[CHANNEL_KEY[channel as keyof typeof CHANNEL_KEY]] : null;
}
