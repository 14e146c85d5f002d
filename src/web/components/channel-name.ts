import type { Messages } from '../i18n/messages.js';

const CHANNEL_KEY = {
  va: 'channelVa',
  qris: 'channelQris',
  ewallet: 'channelEwallet',
  retail: 'channelRetail',
  counter: 'channelCounter',
  autodebit: 'channelAutodebit',
} as const;

/** A payment channel's name in the page's language ('qris' → 'QRIS'); an unknown code as it is. */
export function channelName(m: Messages, channel: string): string {
  return channel in CHANNEL_KEY ? m.member[CHANNEL_KEY[channel as keyof typeof CHANNEL_KEY]] : channel;
}
