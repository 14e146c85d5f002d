import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/**
 * Scrapes GET /metrics as Prometheus would (with `Bearer <token>` when given); returns each sample, `name{labels}`, to
 * its value.
 */
export async function scrapeMetrics(app: TestApp, token?: string): Promise<Map<string, number>> {
  const res = await app.get('/metrics', token ? { authorization: `Bearer ${token}` } : {});
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (res.body as Buffer).toString('utf8').split('\n')) {
    const m = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) {
      samples.set(m[1]!, Number(m[2]));
    }
  }
  return samples;
}

/** A sample's value; 0 when absent (a counter or histogram series that has not moved yet). */
export const sampleOf = (samples: Map<string, number>, key: string): number => samples.get(key) ?? 0;
