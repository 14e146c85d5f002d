import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optionalInt, readAssessment } from '../../src/web/staff/claim-actions.js';
import { ageInDays } from '../../src/web/staff/claim-texts.js';
import { queueFilters } from '../../src/web/staff/claims-queue.js';
import { reissueErrors } from '../../src/web/staff/payouts.js';
import { messagesFor } from '../../src/web/i18n/messages.js';
import { BANK, fileMemberClaim, fileStaffClaim, jhtClaimBody, jhtMember, staffHeaders } from '../support/claims.js';
import { activeMember } from '../support/factories.js';
import { approvedClaimWithPayout } from '../support/payout-fixtures.js';
import { portalClient, textOf } from '../support/portal-client.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The staff console's claims pages (issue 15 item 7) through the real app: "Antrean klaim" (filters, counts, paging),
 * "Detail klaim" (facts, documents, lines, history, payout; the officers' forms by role and state: verify — JKK with
 * the assessment —, approve, reject, return; the four-eyes refusal and invalid_transition in Indonesian; 403 for a
 * wrong role) and "Pembayaran manfaat" (finance re-issues a failed payout to a corrected account).
 */
let t: TestApp;
let dataDir: string;
const PASSWORD = 'kata-sandi-staf-123';
type Client = ReturnType<typeof portalClient>;
const t_id = messagesFor('id').staffClaims;

async function signedIn(username: string): Promise<Client> {
  const client = portalClient(t);
  const res = await client.submit('/staff/masuk', '/staff/masuk', { username, password: PASSWORD, totp: '' }, { follow: false });
  expect(res.status, textOf(res.html)).toBe(303);
  return client;
}

const claimPath = (id: string) => `/staff/klaim/${id}`;
const act = (client: Client, id: string, action: string, fields: Record<string, string> = {}) => client.submit(claimPath(id), `${claimPath(id)}/${action}`, fields);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lindung-console-claims-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  for (const [username, roles] of [
    ['verif-k', ['claims_verifier']],
    ['setuju-k', ['claims_approver']],
    ['dua-k', ['claims_verifier', 'claims_approver']],
    ['super-k', ['supervisor']],
    ['keu-k', ['finance']],
    ['loket-k', ['counter']],
  ] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Detail klaim: a JHT withdrawal verified, refused to its verifier (four eyes), approved by another officer', () => {
  it('walks the claim through the console', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    const verifier = await signedIn('dua-k');
    const page = await verifier.get(claimPath(id));
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`Klaim JHT ${id}`);
    expect(text).toContain(m.kpj);
    expect(text).toContain(m.person.fullName);
    expect(text).toContain('Berhenti bekerja');
    expect(text).toContain('Dokumen yang belum ada');
    expect(text).toContain('Manfaat dihitung saat klaim diverifikasi.');
    expect(page.html).toContain(`action="/staff/klaim/${id}/verifikasi"`);
    expect(page.html).toContain(`action="/staff/klaim/${id}/kembalikan"`);
    expect(page.html).not.toContain(`action="/staff/klaim/${id}/setujui"`);
    expect(page.html).not.toContain('name="outcome"'); // JHT: no JKK assessment

    const verified = await act(verifier, id, 'verifikasi');
    expect(verified.status, textOf(verified.html)).toBe(200);
    expect(textOf(verified.html)).toContain(`Klaim ${id} diverifikasi. Total manfaat Rp`);
    expect(textOf(verified.html)).toContain('Saldo JHT');
    expect(textOf(verified.html)).toMatch(/Diverifikasi oleh dua-k/);
    expect(textOf(verified.html)).toContain('Anda memverifikasi klaim ini, jadi tidak dapat menyetujuinya');
    expect(verified.html).not.toContain(`action="/staff/klaim/${id}/setujui"`);

    // Posting the approval anyway (a stale page): the four-eyes refusal in Indonesian, 409, nothing changes.
    const self = await act(verifier, id, 'setujui');
    expect(self.status).toBe(409);
    expect(textOf(self.html)).toContain('Petugas yang memeriksa klaim tidak boleh menyetujuinya');
    expect((await t.db.selectFrom('claim').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('verified');

    // Verifying again is not a move from "verified": invalid_transition in Indonesian.
    const again = await act(verifier, id, 'verifikasi');
    expect(again.status).toBe(409);
    expect(textOf(again.html)).toContain('tidak dapat diproses dengan cara ini pada statusnya sekarang');

    const approver = await signedIn('setuju-k');
    expect((await approver.get(claimPath(id))).html).toContain(`action="/staff/klaim/${id}/setujui"`);
    const approved = await act(approver, id, 'setujui');
    expect(approved.status).toBe(200);
    expect(textOf(approved.html)).toContain(`Klaim ${id} disetujui.`);
    expect(textOf(approved.html)).toMatch(/Menunggu: Rp/);
    expect(textOf(approved.html)).toContain('Tidak ada tindakan untuk peran Anda pada status klaim ini.');
    const row = await t.db.selectFrom('claim').select(['status', 'total']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    const audit = await (await signedIn('super-k')).get(`/staff/audit?entitas=claim:${id}`);
    expect(textOf(audit.html)).toMatch(/dua-k claim\.verify .* setuju-k claim\.approve/);
  });

  it('answers 403 to a wrong role: finance cannot open the claim, the approver cannot verify, the supervisor cannot reject', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    expect((await (await signedIn('keu-k')).get(claimPath(id))).status).toBe(403);
    expect((await (await signedIn('loket-k')).get('/staff/klaim')).status).toBe(403);
    const approver = await signedIn('setuju-k');
    expect((await approver.get(claimPath(id))).html).not.toContain('/verifikasi"');
    expect((await act(approver, id, 'verifikasi')).status).toBe(403);
    const supervisor = await signedIn('super-k');
    const seen = await supervisor.get(claimPath(id));
    expect(seen.status).toBe(200);
    expect(textOf(seen.html)).toContain('Tidak ada tindakan untuk peran Anda');
    expect((await act(supervisor, id, 'tolak', { rejectReason: 'tidak' })).status).toBe(403);
    expect((await t.db.selectFrom('claim').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('submitted');
    expect((await supervisor.get('/staff/klaim/tidak-ada')).status).toBe(404);
    expect((await (await signedIn('verif-k')).submit(claimPath(id), '/staff/klaim/tidak-ada/verifikasi', {})).status).toBe(404);
  });

  it('returns with a reason (an empty reason is 422), and rejects with a reason', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    const verifier = await signedIn('verif-k');
    const empty = await act(verifier, id, 'kembalikan', { returnReason: '  ' });
    expect(empty.status).toBe(422);
    expect(textOf(empty.html)).toContain('Tulis alasannya.');
    const returned = await act(verifier, id, 'kembalikan', { returnReason: 'Surat keterangan berhenti bekerja belum diunggah.' });
    expect(returned.status).toBe(200);
    expect(textOf(returned.html)).toContain(`Klaim ${id} dikembalikan ke pengaju.`);
    expect(textOf(returned.html)).toContain('Dikembalikan oleh verif-k: Surat keterangan berhenti bekerja belum diunggah.');
    expect((await t.post(`/api/v1/me/claims/${id}/resubmit`, {}, m.auth)).status).toBe(200);
    const rejected = await act(verifier, id, 'tolak', { rejectReason: 'Masih bekerja menurut data pemberi kerja.' });
    expect(rejected.status).toBe(200);
    expect(textOf(rejected.html)).toContain(`Klaim ${id} ditolak.`);
    expect(await t.db.selectFrom('claim').select(['status', 'decision_reason']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'rejected', decision_reason: 'Masih bekerja menurut data pemberi kerja.' });
  });

  it('JKK: the verification needs the assessment; with it the lines and total are shown; a document downloads', async () => {
    const m = await jhtMember(t);
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const at = new Date(t.clock.now().getTime() - 600_000).toISOString();
    const id = (await fileMemberClaim(t, m.auth, { type: 'JKK', event: { at, description: 'Jatuh dari motor', place: 'Jl. Sudirman' }, bankAccount: BANK })).body.id as string;
    const form = new FormData();
    form.set('kind', 'ktp');
    form.set('file', new Blob([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n')]), 'ktp.pdf');
    const up = await t.app.request(`/api/v1/me/claims/${id}/documents`, { method: 'POST', body: form, headers: m.auth });
    expect(up.status).toBe(201);
    const docId = ((await up.json()) as { id: string }).id;

    const verifier = await signedIn('verif-k');
    const page = await verifier.get(claimPath(id));
    expect(textOf(page.html)).toContain('Jl. Sudirman');
    expect(page.html).toContain(`href="/staff/klaim/${id}/dokumen/${docId}"`);
    const file = await verifier.get(`/staff/klaim/${id}/dokumen/${docId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await (await signedIn('keu-k')).get(`/staff/klaim/${id}/dokumen/${docId}`)).status).toBe(403);

    const missing = await act(verifier, id, 'verifikasi', { jkk: '1', outcome: '', stmbDays: 'sepuluh', medicalCost: '', disabilityPercent: '' });
    expect(missing.status).toBe(422);
    expect(textOf(missing.html)).toContain('Pilih hasil penilaian JKK.');
    expect(textOf(missing.html)).toContain('Isi dengan angka bulat yang wajar');
    expect(missing.html).toContain('value="sepuluh"');
    const ok = await act(verifier, id, 'verifikasi', { jkk: '1', outcome: 'recovered', stmbDays: '10', medicalCost: '2.500.000', disabilityPercent: '' });
    expect(ok.status, textOf(ok.html)).toBe(200);
    // Base Rp1.000.000: STMB 10 days = 333.333; medical as assessed (as test/api/claims.test.ts).
    expect(textOf(ok.html)).toMatch(/Santunan tidak mampu bekerja \(STMB\) Rp333\.333 Biaya pengobatan Rp2\.500\.000 Total Rp2\.833\.333/);
  });
});

describe('Detail klaim: a JKM claim filed at the counter for an heir', () => {
  it('shows the claimant with the NIK masked, the event and the cover at the event', async () => {
    const m = await jhtMember(t);
    const at = t.clock.now().toISOString();
    t.clock.set(new Date(t.clock.now().getTime() + 3_600_000));
    const heir = { nik: '3174011203850003', fullName: 'Siti Aminah', relationship: 'spouse', phone: '081234567890' };
    const id = (await fileStaffClaim(t, await staffHeaders(t, ['counter']), { kpj: m.kpj, type: 'JKM', event: { at, kind: 'death' }, claimant: heir })).body.id as string;
    const page = await (await signedIn('verif-k')).get(claimPath(id));
    const text = textOf(page.html);
    expect(text).toContain('Siti Aminah, Suami/istri, NIK ************0003, HP 081234567890');
    expect(page.html).not.toContain('3174011203850003');
    expect(text).toContain('Kematian');
    expect(text).toMatch(/Terlindungi \(.*JKM.*\) pada November 2026/);
    expect(text).toContain(`Klaim JKM ${id}`);
  });
});

describe('Antrean klaim', () => {
  it('lists oldest first with the counts per state, filters by status, programme and age, and pages', async () => {
    const m = await activeMember(t, { programs: ['JKK', 'JKM', 'JHT'] });
    const pid = (await t.db.selectFrom('participant').select('id').where('kpj', '=', m.kpj).executeTakeFirstOrThrow()).id;
    const base = new Date(t.clock.now().getTime() - 40 * 86_400_000);
    for (let i = 0; i < 27; i++) {
      const at = new Date(base.getTime() + i * 60_000);
      await sql`insert into claim (id, participant_id, kpj, type, status, reason, bank_account, channel, filed_by, submitted_at, updated_at)
        values (${`clm_q${String(i).padStart(2, '0')}`}, ${pid}, ${m.kpj}, 'JKM', 'submitted', null, '{"bankCode":"BCA"}', 'staff', 'loket', ${at}, ${at})`.execute(t.db);
      await sql`update claim set status = 'rejected', decision_reason = 'uji antrean' where id = ${`clm_q${String(i).padStart(2, '0')}`}`.execute(t.db);
    }
    const client = await signedIn('verif-k');
    const first = await client.get('/staff/klaim?status=rejected&program=JKM&umur=30');
    expect(first.status).toBe(200);
    const ids = [...first.html.matchAll(/href="\/staff\/klaim\/(clm_q\d+)"/g)].map((x) => x[1]);
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `clm_q${String(i).padStart(2, '0')}`));
    expect(textOf(first.html)).toMatch(/Ditolak ?: 27/);
    expect(textOf(first.html)).toContain('40 hari');
    const next = /href="(\/staff\/klaim\?[^"]*setelah=[^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, '&');
    const second = await client.get(next);
    expect([...second.html.matchAll(/href="\/staff\/klaim\/(clm_q\d+)"/g)].map((x) => x[1])).toEqual(['clm_q25', 'clm_q26']);
    expect(second.html).toContain('Kembali ke halaman pertama');
    const none = await client.get('/staff/klaim?status=rejected&program=JHT&umur=30');
    expect(textOf(none.html)).toContain('Tidak ada klaim yang cocok dengan saringan ini.');
    // A bad cursor shows the first page, unknown filters the whole queue.
    expect((await client.get('/staff/klaim?setelah=rusak&status=apa')).status).toBe(200);
    const home = await client.get('/staff');
    expect(home.html).toContain('<h3><a href="/staff/klaim">');
  });

  it('reads the filters and the age', () => {
    expect(queueFilters((n) => ({ status: 'verified', program: 'JKK', umur: '7' })[n])).toEqual({ status: 'verified', type: 'JKK', age: 7 });
    expect(queueFilters((n) => ({ status: 'x', program: 'jkk', umur: '3' })[n])).toEqual({ status: undefined, type: undefined, age: undefined });
    expect(ageInDays(new Date('2026-11-01T00:00:00Z'), new Date('2026-11-08T23:59:00Z'))).toBe(7);
  });
});

describe('Pembayaran manfaat (finance)', () => {
  it('lists payouts by status; finance re-issues a failed one to a corrected account; the supervisor only reads', async () => {
    const m = await activeMember(t);
    const p = await approvedClaimWithPayout(t, m, { amount: 42_000_000 });
    await sql`update payout set status = 'failed', failure_reason = 'INVALID_DESTINATION', next_attempt_at = null, attempts = 3 where id = ${p.payoutId}`.execute(t.db);
    const finance = await signedIn('keu-k');
    const list = await finance.get('/staff/pembayaran-manfaat?status=failed');
    expect(list.status).toBe(200);
    expect(textOf(list.html)).toMatch(/INVALID_DESTINATION Rp42\.000\.000/);
    expect(textOf(list.html)).toContain('BCA ******7890');
    const link = `/staff/pembayaran-manfaat/${p.payoutId}/ulang`;
    expect(list.html).toContain(`href="${link}"`);
    const bad = await finance.submit(link, link, { bankCode: 'mandiri!', accountNumber: '12', accountName: 'Siti Aminah', reason: '' });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain('Isi nomor rekening dengan 6–20 angka.');
    const done = await finance.submit(link, link, { bankCode: 'MANDIRI', accountNumber: '9876543210', accountName: 'Siti Aminah', reason: 'Rekening diperbaiki sesuai buku tabungan' });
    expect(done.status, textOf(done.html)).toBe(200);
    expect(textOf(done.html)).toContain(`Pembayaran ${p.payoutId} diterbitkan ulang ke rekening MANDIRI ******3210.`);
    const row = await t.db.selectFrom('payout').select(['status', 'bank_account']).where('id', '=', p.payoutId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', bank_account: { bankCode: 'MANDIRI', accountNumber: '9876543210' } });
    const audit = await t.db.selectFrom('staff_audit').select(['actor', 'detail']).where('subject', '=', `payout:${p.payoutId}`).execute();
    expect(audit).toMatchObject([{ actor: 'keu-k', detail: { bankAccountChanged: true } }]);
    const twice = await finance.submit(link, link, { bankCode: 'MANDIRI', accountNumber: '9876543210', accountName: 'Siti Aminah', reason: 'lagi' });
    expect(twice.status).toBe(409);
    expect(textOf(twice.html)).toContain('tidak berstatus gagal');
    const pendingPage = await finance.get(link);
    expect(pendingPage.status).toBe(409);
    expect(pendingPage.html).not.toContain('name="accountNumber"');
    expect((await finance.get('/staff/pembayaran-manfaat/tidak-ada/ulang')).status).toBe(404);

    const supervisor = await signedIn('super-k');
    const read = await supervisor.get('/staff/pembayaran-manfaat');
    expect(read.status).toBe(200);
    expect(read.html).not.toContain('/ulang"');
    expect((await supervisor.get(link)).status).toBe(403);
    expect((await (await signedIn('verif-k')).get('/staff/pembayaran-manfaat')).status).toBe(403);
  });

  it('checks the re-issue fields', () => {
    const t = t_id;
    expect(reissueErrors({ bankCode: 'BCA', accountNumber: '1234567', accountName: 'Si', reason: 'abc' }, t)).toEqual({});
    expect(Object.keys(reissueErrors({ bankCode: 'b', accountNumber: '12345', accountName: 'S', reason: 'ab' }, t)).sort()).toEqual(['accountName', 'accountNumber', 'bankCode', 'reason']);
  });
});

describe('the JKK assessment fields', () => {
  it.each([
    ['', 0, 10, undefined],
    ['10', 0, 10, 10],
    ['2.500.000', 0, 10_000_000, 2_500_000],
    ['11', 0, 10, null],
    ['-1', 0, 10, null],
    ['0', 1, 100, null],
  ])('optionalInt(%j, %i, %i) = %j', (raw, min, max, out) => {
    expect(optionalInt(raw, min, max)).toBe(out);
  });

  it('needs the percent of a partial disability and drops it for other outcomes', () => {
    const v = { outcome: 'partial_disability', stmbDays: '', medicalCost: '', disabilityPercent: '', reason: '', jkk: '1' };
    expect(readAssessment(v, t_id)).toEqual({ errors: { disabilityPercent: t_id.percentMissing } });
    expect(readAssessment({ ...v, disabilityPercent: '40' }, t_id)).toEqual({ assessment: { outcome: 'partial_disability', disabilityPercent: 40 } });
    expect(readAssessment({ ...v, outcome: 'recovered', disabilityPercent: '40', stmbDays: '3' }, t_id)).toEqual({ assessment: { outcome: 'recovered', stmbDays: 3 } });
  });

  it('speaks English with ?lang=en', async () => {
    const m = await jhtMember(t);
    const id = (await fileMemberClaim(t, m.auth, jhtClaimBody())).body.id as string;
    const page = await (await signedIn('verif-k')).open(`${claimPath(id)}?lang=en`);
    expect(page.html).toContain('<html lang="en"');
    expect(textOf(page.html)).toContain(`JHT claim ${id}`);
    expect(textOf(page.html)).toContain('Verify the claim');
  });
});
