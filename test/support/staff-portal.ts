import { expect } from 'vitest';
import { portalClient, textOf } from './portal-client.js';
import type { TestApp } from './test-app.js';

/** The staff console's test accounts' password. */
export const STAFF_PASSWORD = 'kata-sandi-staf-123';

/** Development staff accounts, each with its roles (POST /dev/staff). */
export async function createStaffAccounts(t: TestApp, accounts: readonly (readonly [string, readonly string[]])[]): Promise<void> {
  for (const [username, roles] of accounts) {
    expect((await t.post('/dev/staff', { username, password: STAFF_PASSWORD, roles })).status).toBe(201);
  }
}

/** A portal client signed in to the staff console as `username` (no TOTP in development). */
export async function staffSignedIn(t: TestApp, username: string) {
  const client = portalClient(t);
  const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password: STAFF_PASSWORD, totp: '' }, { follow: false });
  expect(res.status, textOf(res.html)).toBe(303);
  return client;
}
