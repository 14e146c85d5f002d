import { Hono } from 'hono';
import type { Deps } from '../../../deps.js';

/** Payment providers' callbacks (Midtrans, Xendit), each normalised into one payment event. Mounted at /api/v1/channels. */
export function channelRoutes(deps: Deps) {
  void deps;
  return new Hono();
}
