import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDocumentsView } from '../../src/modules/claims/index.js';
import { DOCUMENT_MAX_BYTES } from '../../src/modules/documents/index.js';
import { expectError } from '../support/api-errors.js';
import { activeMember } from '../support/factories.js';
import { createTestApp, type TestApp, type TestResponse } from '../support/test-app.js';

/**
 * Claim documents through the real app (issue 15 item 4): upload (member and counter), list with the missing kinds,
 * download. Claims are made by SQL, as test/api/claims-db-guard.test.ts does, so this file depends only on the schema.
 */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR a ktp photo')]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('\x00\x10JFIF\x00 a savings book')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const PASSWORD = 'kata-sandi-staf-123';

let t: TestApp;
let dataDir: string;
let alice: Awaited<ReturnType<typeof activeMember>>;
let bob: Awaited<ReturnType<typeof activeMember>>;
const staff: Record<string, { auth: Record<string, string>; id: number }> = {};

async function idOf(kpj: string): Promise<string> {
  return (await t.db.selectFrom('participant').select('id').where('kpj', '=', kpj).executeTakeFirstOrThrow()).id;
}

let seq = 0;
/** A claim filed by SQL (status submitted), like the claims module files one; the member's open one of the type is closed first. */
async function fileClaim(kpj: string, type: 'JHT' | 'JKK' | 'JKM', extra: { reason?: string; event?: object } = {}): Promise<string> {
  const id = `clm_docs${++seq}`;
  await sql`update claim set status = 'submitted' where kpj = ${kpj} and type = ${type} and status = 'returned'`.execute(t.db);
  await sql`update claim set status = 'rejected', decision_reason = 'uji' where kpj = ${kpj} and type = ${type} and status in ('submitted', 'verified')`.execute(t.db);
  await sql`
    insert into claim (id, participant_id, kpj, type, status, reason, event, bank_account, channel, filed_by, submitted_at, updated_at)
    values (${id}, ${await idOf(kpj)}, ${kpj}, ${type}, 'submitted', ${extra.reason ?? null}, ${extra.event ? JSON.stringify(extra.event) : null},
            '{"bankCode":"BCA"}', 'self_service', ${`participant:${kpj}`}, now(), now())`.execute(t.db);
  return id;
}

async function upload(
  who: 'me' | 'staff',
  claimId: string,
  part: { kind?: string; bytes?: Uint8Array; name?: string; type?: string },
  headers: Record<string, string>,
): Promise<TestResponse> {
  const form = new FormData();
  if (part.kind !== undefined) form.set('kind', part.kind);
  if (part.bytes) form.set('file', new Blob([new Uint8Array(part.bytes)], part.type ? { type: part.type } : {}), part.name ?? 'berkas');
  const res = await t.app.request(`/api/v1/${who}/claims/${claimId}/documents`, { method: 'POST', body: form, headers });
  return { status: res.status, body: await res.json(), headers: res.headers };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lindung-claim-docs-'));
  t = await createTestApp({ env: { DATA_DIR: dataDir } });
  alice = await activeMember(t);
  bob = await activeMember(t);
  for (const [username, roles] of [
    ['loket', ['counter']],
    ['verifikator', ['claims_verifier']],
    ['penyelia', ['supervisor']],
    ['keuangan', ['finance']],
  ] as const) {
    expect((await t.post('/dev/staff', { username, password: PASSWORD, roles })).status).toBe(201);
    const session = await t.post('/api/v1/staff/sessions', { username, password: PASSWORD });
    const row = await t.db.selectFrom('staff_account').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    staff[username] = { auth: { authorization: `Bearer ${session.body.token}` }, id: Number(row.id) };
  }
});
afterAll(async () => {
  await t.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('POST /api/v1/me/claims/{id}/documents', () => {
  it('stores what the bytes are: a PNG named .pdf and declared application/pdf is a PNG', async () => {
    const claim = await fileClaim(alice.kpj, 'JHT', { reason: 'age_56' });
    const res = await upload('me', claim, { kind: 'ktp', bytes: PNG, name: 'ktp.pdf', type: 'application/pdf' }, alice.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'ktp', label: 'KTP elektronik peserta', contentType: 'image/png', sizeBytes: PNG.length, sha256: sha(PNG), fileName: 'ktp.pdf', uploadedBy: `participant:${alice.kpj}` });
    expect(res.body.id).toMatch(/^doc_/);
  });

  it('the same bytes again as the same kind answer 200 with the stored document; as another kind they are another document', async () => {
    const claim = await fileClaim(alice.kpj, 'JKK', { event: { at: '2026-11-20T02:00:00Z', description: 'jatuh dari motor' } });
    const first = await upload('me', claim, { kind: 'accident_report', bytes: PDF, name: 'form3.pdf' }, alice.auth);
    const again = await upload('me', claim, { kind: 'accident_report', bytes: PDF, name: 'form3-lagi.pdf' }, alice.auth);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    const other = await upload('me', claim, { kind: 'doctor_statement', bytes: PDF }, alice.auth);
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
    const rows = await t.db.selectFrom('claim_document').select('id').where('claim_id', '=', claim).execute();
    expect(rows).toHaveLength(2);
  });

  it('two uploads of the same file at once make one document: one 201, one 200 with the same id', async () => {
    const claim = await fileClaim(alice.kpj, 'JHT', { reason: 'partial_30' });
    const [a, b] = await Promise.all([
      upload('me', claim, { kind: 'housing_document', bytes: PDF }, alice.auth),
      upload('me', claim, { kind: 'housing_document', bytes: PDF }, alice.auth),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    expect(await t.db.selectFrom('claim_document').select('id').where('claim_id', '=', claim).execute()).toHaveLength(1);
  });

  it.each([
    { name: 'an HTML page named .jpg and declared image/jpeg', bytes: HTML, fileName: 'foto.jpg', type: 'image/jpeg', status: 415, code: 'document_type_not_allowed' },
    { name: 'an empty file', bytes: Buffer.alloc(0), fileName: 'kosong.pdf', type: 'application/pdf', status: 422, code: 'document_empty' },
    {
      name: 'a PDF of 6 MB + 1 byte (inside the multipart envelope)',
      bytes: Buffer.concat([PDF, Buffer.alloc(DOCUMENT_MAX_BYTES + 1 - PDF.length)]),
      fileName: 'besar.pdf',
      type: 'application/pdf',
      status: 413,
      code: 'document_too_large',
    },
    {
      name: 'a body far past 6 MB (refused by the body limit, unread)',
      bytes: Buffer.concat([PDF, Buffer.alloc(DOCUMENT_MAX_BYTES + 200_000)]),
      fileName: 'besar.pdf',
      type: 'application/pdf',
      status: 413,
      code: 'document_too_large',
    },
  ])('refuses $name: $status $code, storing nothing', async ({ bytes, fileName, type, status, code }) => {
    const claim = await fileClaim(bob.kpj, 'JHT', { reason: 'stopped_working' });
    expectError(await upload('me', claim, { kind: 'stop_work_letter', bytes, name: fileName, type }, bob.auth), status, code, 'file');
    expect(await t.db.selectFrom('claim_document').select('id').where('claim_id', '=', claim).execute()).toEqual([]);
  });

  it('a declared Content-Length past the limit is refused from the headers (413), after the session is checked (401 first)', async () => {
    const claim = await fileClaim(bob.kpj, 'JKK');
    const send = (headers: Record<string, string>) =>
      t.app.request(`/api/v1/me/claims/${claim}/documents`, {
        method: 'POST',
        body: '--x--\r\n',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024), ...headers },
      });
    const tooLarge = await send(bob.auth);
    expect([tooLarge.status, (await tooLarge.json()).error.code]).toEqual([413, 'document_too_large']);
    const anonymous = await send({});
    expect([anonymous.status, (await anonymous.json()).error.code]).toEqual([401, 'unauthorized']);
  });

  it('refuses an unknown kind or a missing file (400), and a caller without a session (401)', async () => {
    const claim = await fileClaim(bob.kpj, 'JKK');
    expectError(await upload('me', claim, { kind: 'selfie', bytes: PNG }, bob.auth), 400, 'invalid_request', 'kind');
    expectError(await upload('me', claim, { kind: 'ktp' }, bob.auth), 400, 'invalid_request', 'file');
    expectError(await upload('me', claim, { kind: 'ktp', bytes: PNG }, {}), 401, 'unauthorized');
  });

  it("another member's claim is 404 for upload, list and download", async () => {
    const claim = await fileClaim(alice.kpj, 'JKM', { event: { at: '2026-11-21T02:00:00Z', kind: 'death' } });
    const mine = await upload('me', claim, { kind: 'ktp', bytes: JPG }, alice.auth);
    expect(mine.status).toBe(201);
    expectError(await upload('me', claim, { kind: 'ktp', bytes: PNG }, bob.auth), 404, 'not_found', 'id');
    expectError(await t.get(`/api/v1/me/claims/${claim}/documents`, bob.auth), 404, 'not_found', 'id');
    expectError(await t.get(`/api/v1/me/claims/${claim}/documents/${mine.body.id}`, bob.auth), 404, 'not_found', 'docId');
    // a document id of one claim under another claim's id is not found either
    const bobs = await fileClaim(bob.kpj, 'JKM', { event: { at: '2026-11-21T02:00:00Z', kind: 'death' } });
    expectError(await t.get(`/api/v1/me/claims/${bobs}/documents/${mine.body.id}`, bob.auth), 404, 'not_found', 'docId');
  });

  it('takes documents while submitted or returned; refuses them once verified: 409 claim_documents_closed', async () => {
    const claim = await fileClaim(bob.kpj, 'JHT', { reason: 'leaving_indonesia' });
    await sql`update claim set status = 'returned', decision_reason = 'paspor belum ada' where id = ${claim}`.execute(t.db);
    expect((await upload('me', claim, { kind: 'passport', bytes: PDF }, bob.auth)).status).toBe(201);
    await sql`update claim set status = 'submitted' where id = ${claim}`.execute(t.db);
    await sql`update claim set status = 'verified', verified_by = ${staff['verifikator']!.id}, total = 1000 where id = ${claim}`.execute(t.db);
    expectError(await upload('me', claim, { kind: 'leaving_statement', bytes: PNG }, bob.auth), 409, 'claim_documents_closed', 'status');
    expectError(await upload('staff', claim, { kind: 'leaving_statement', bytes: PNG }, staff['loket']!.auth), 409, 'claim_documents_closed', 'status');
  });
});

describe('GET /api/v1/me/claims/{id}/documents and the download', () => {
  it('lists the documents with labels and the missing kinds; the download gives back the same bytes, as an attachment', async () => {
    const claim = await fileClaim(bob.kpj, 'JHT', { reason: 'age_56' });
    const ktp = await upload('me', claim, { kind: 'ktp', bytes: JPG, name: 'ktp.png', type: 'image/png' }, bob.auth);
    const list = await t.get(`/api/v1/me/claims/${claim}/documents`, bob.auth);
    expect(list.status).toBe(200);
    expect(list.body.documents).toEqual([ktp.body]);
    expect(list.body.missing).toEqual([
      { kind: 'kk', label: 'Kartu Keluarga (KK)' },
      { kind: 'bank_book', label: 'Buku tabungan atas nama penerima' },
    ]);
    const en = await t.get(`/api/v1/me/claims/${claim}/documents`, { ...bob.auth, 'accept-language': 'en' });
    expect(en.body.missing[0]).toEqual({ kind: 'kk', label: 'Family card (Kartu Keluarga)' });

    const file = await t.get(`/api/v1/me/claims/${claim}/documents/${ktp.body.id}`, bob.auth);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, JPG)).toBe(0);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${ktp.body.id}.jpg"`);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('private, no-store');
  });

  it('claimDocumentsView (for the staff console and claim views): documents and missing kinds; null for no claim', async () => {
    const claim = await fileClaim(alice.kpj, 'JKK', { event: { at: '2026-11-20T02:00:00Z', kind: 'death' } });
    await upload('me', claim, { kind: 'death_certificate', bytes: PDF }, alice.auth);
    const view = await claimDocumentsView(t.db, claim);
    expect(view?.documents.map((d) => d.kind)).toEqual(['death_certificate']);
    expect(view?.missing.map((m) => m.kind)).toEqual(['ktp', 'kk', 'bank_book', 'heir_certificate', 'heir_ktp', 'accident_report', 'doctor_statement']);
    expect(await claimDocumentsView(t.db, 'clm_none')).toBeNull();
  });
});

describe('staff: POST /api/v1/staff/claims/{id}/documents and the download', () => {
  it('a counter officer uploads for the member (audited); claims roles and the supervisor download; others are refused', async () => {
    const claim = await fileClaim(alice.kpj, 'JHT', { reason: 'total_disability' });
    const res = await upload('staff', claim, { kind: 'doctor_statement', bytes: PDF, name: 'dokter.pdf' }, staff['loket']!.auth);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'doctor_statement', contentType: 'application/pdf', uploadedBy: 'loket' });
    const audit = await t.get(`/api/v1/staff/audit?entity=claim:${claim}`, staff['penyelia']!.auth);
    expect(audit.body.events).toEqual([expect.objectContaining({ actor: 'loket', action: 'claim_document.upload', entity: `claim:${claim}` })]);
    // the same file again: answered, not audited twice
    expect((await upload('staff', claim, { kind: 'doctor_statement', bytes: PDF }, staff['loket']!.auth)).status).toBe(200);
    expect((await t.get(`/api/v1/staff/audit?entity=claim:${claim}`, staff['penyelia']!.auth)).body.events).toHaveLength(1);

    const path = `/api/v1/staff/claims/${claim}/documents/${res.body.id}`;
    for (const who of ['verifikator', 'penyelia']) {
      const file = await t.get(path, staff[who]!.auth);
      expect({ who, status: file.status, same: Buffer.compare(file.body as Buffer, PDF) === 0 }).toEqual({ who, status: 200, same: true });
      expect(file.headers.get('content-type')).toBe('application/pdf');
    }
    expectError(await t.get(path, staff['loket']!.auth), 403, 'forbidden');
    expectError(await t.get(path, alice.auth), 403, 'forbidden');
    expectError(await upload('staff', claim, { kind: 'ktp', bytes: PNG }, staff['keuangan']!.auth), 403, 'forbidden');
    expectError(await t.get(`/api/v1/staff/claims/${claim}/documents/doc_none`, staff['verifikator']!.auth), 404, 'not_found', 'docId');
    expectError(await t.get(`/api/v1/staff/claims/clm_none/documents`, staff['loket']!.auth), 404, 'not_found', 'id');

    const list = await t.get(`/api/v1/staff/claims/${claim}/documents`, staff['loket']!.auth);
    expect(list.body.missing.map((m: { kind: string }) => m.kind)).toEqual(['ktp', 'kk', 'bank_book']);
  });
});
