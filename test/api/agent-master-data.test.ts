import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMasterDataSigner, type MasterDataSnapshot } from '../../src/modules/agents/master-data.js';
import { verifySnapshotWith } from '../support/agent-snapshot.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/agent/master-data (the agent app’s signed snapshot)', () => {
  it('is public reference data, signed with the published key, with the figures the app prices from', async () => {
    const res = await t.get('/api/v1/agent/master-data');
    expect(res.status).toBe(200);
    const snap = res.body as MasterDataSnapshot;
    expect(snap.version).toMatch(/^[0-9a-f]{16}$/);
    expect(snap.issuedAt).toBe(new Date(snap.issuedAt).toISOString());
    expect(snap.data.occupations).toContainEqual(expect.objectContaining({ code: 'OJOL', sector: 'transport' }));
    expect(snap.data.branches).toContainEqual(expect.objectContaining({ code: 'JKT-SALEMBA' }));
    expect(snap.data.rates).toMatchObject({
      fromMonth: '2026-10',
      incomeLadders: [{ min: 1_000_000, max: 20_700_000, step: 100_000, validTo: null }],
      programRates: expect.arrayContaining([expect.objectContaining({ program: 'JKM', basis: 'flat', amount: 6_800 })]),
      prepaymentOptions: expect.arrayContaining([1, 3, 6, 12]),
    });
    // PP 49/2020 ended long before: only rows still in force from last month on travel.
    expect(snap.data.rates.discountRules.map((d) => d.id)).toEqual(['PP50-2025-TRANSPORT', 'PP50-2025-OTHER']);

    const key = await t.get('/api/v1/agent/master-data/key');
    expect(key.status).toBe(200);
    expect(key.body).toMatchObject({ algorithm: 'Ed25519', publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(verifySnapshotWith(snap, key.body.publicKeyPem as string)).toBe(true);
    expect(verifySnapshotWith({ ...snap, data: { ...snap.data, occupations: snap.data.occupations.slice(1) } }, key.body.publicKeyPem as string)).toBe(false);
    // The same content, the same version; the signature covers issuedAt too.
    expect((await t.get('/api/v1/agent/master-data')).body.version).toBe(snap.version);
  });

  it('signs with a key of its own, derived from CARD_SIGNING_SEED (production refuses the development seed, so its key)', () => {
    expect(t.config.cardSigningSeed).toBe('dev-card-signing-seed');
    const dev = createMasterDataSigner('dev-card-signing-seed');
    expect(dev.publicKeyPem).not.toBe(t.deps.cardSigner.publicKeyPem);
    expect(createMasterDataSigner('a-production-seed').publicKeyRaw).not.toBe(dev.publicKeyRaw);
  });
});
