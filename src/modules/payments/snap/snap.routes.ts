import { Hono } from 'hono';
import type { Deps } from '../../../deps.js';

/** BI-SNAP endpoints a bank calls (access token, virtual account inquiry and payment, QRIS notify). Mounted at /snap. */
export function snapRoutes(deps: Deps) {
  void deps;
  return new Hono();
}
