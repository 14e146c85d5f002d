import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHttpIdentityProvider, IdentityUnavailableError } from './http-identity-provider.js';
import type { PersonClaim } from './identity-provider.js';

// Fake Dukcapil NIK verification service. It does its own comparison the way the registry does
// (upper-case, collapsed whitespace, similarity score against TRESHOLD) rather than reusing ours.
const USER = 'bpjstk-lindung';
const PASSWORD = 's3cret';
const residents = new Map([
  ['3174015505900001', { NAMA_LGKP: 'SITI AMINAH', TGL_LHR: '15-05-1990', JENIS_KLMIN: 'PEREMPUAN' }],
  ['3273011208850002', { NAMA_LGKP: 'BUDI SANTOSO', TGL_LHR: '12-08-1985', JENIS_KLMIN: 'LAKI-LAKI' }],
]);
const requests: Record<string, unknown>[] = [];
let mode: 'normal' | 'fail500' | 'hang' | 'garbage' = 'normal';

function canon(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toUpperCase();
}
function nameScore(a: string, b: string): number {
  const [x, y] = [canon(a), canon(b)];
  let same = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] === y[i]) same++;
  return Math.round((100 * same) / Math.max(x.length, y.length, 1));
}
function sesuai(ok: boolean): string {
  return ok ? 'Sesuai' : 'Tidak Sesuai';
}

const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (mode === 'hang') return;
    const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (mode === 'fail500') return send(500, '{"message":"Internal Server Error"}');
    if (mode === 'garbage') return send(200, '<html>maintenance</html>');
    const q = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    requests.push(q);
    if (q.user_id !== USER || q.password !== PASSWORD) {
      return send(200, JSON.stringify({ content: [{ RESPONSE_CODE: '05', RESPONSE: 'User Tidak Terdaftar' }] }));
    }
    const r = residents.get(String(q.NIK));
    if (!r) return send(200, JSON.stringify({ content: [{ RESPONSE_CODE: '11', RESPONSE: 'Data Tidak Ditemukan' }] }));
    const score = nameScore(String(q.NAMA_LGKP), r.NAMA_LGKP);
    const nameOk = score >= Number(q.TRESHOLD);
    send(
      200,
      JSON.stringify({
        content: [
          {
            NIK: 'Sesuai',
            NAMA_LGKP: `${sesuai(nameOk)} (${score})`,
            TGL_LHR: sesuai(q.TGL_LHR === r.TGL_LHR),
            JENIS_KLMIN: sesuai(q.JENIS_KLMIN === r.JENIS_KLMIN),
          },
        ],
      }),
    );
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dukcapil/get_json/VERIFY_BY_ELEMEN`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  requests.length = 0;
  mode = 'normal';
});

const siti: PersonClaim = { nik: '3174015505900001', fullName: 'Siti Aminah', birthDate: '1990-05-15', gender: 'F' };
const budi: PersonClaim = { nik: '3273011208850002', fullName: 'BUDI SANTOSO', birthDate: '1985-08-12', gender: 'M' };

describe('createHttpIdentityProvider', () => {
  const provider = () => createHttpIdentityProvider({ url, userId: USER, password: PASSWORD });

  it('sends the Dukcapil request format', async () => {
    await provider().check(budi);
    expect(requests).toEqual([
      {
        NIK: '3273011208850002',
        NAMA_LGKP: 'BUDI SANTOSO',
        TGL_LHR: '12-08-1985',
        JENIS_KLMIN: 'LAKI-LAKI',
        user_id: USER,
        password: PASSWORD,
        TRESHOLD: 100,
      },
    ]);
    await provider().check(siti);
    expect(requests[1]).toMatchObject({ TGL_LHR: '15-05-1990', JENIS_KLMIN: 'PEREMPUAN' });
  });

  it('match', async () => {
    expect(await provider().check(budi)).toEqual({ outcome: 'match', registryName: 'BUDI SANTOSO' });
  });

  it('match when the name differs only by case and spacing; the registry spelling is the KTP form, not the typed one', async () => {
    expect(await provider().check({ ...siti, fullName: '  siti   AMINAH ' })).toEqual({ outcome: 'match', registryName: 'SITI AMINAH' });
  });

  it('mismatch on a different name', async () => {
    expect(await provider().check({ ...siti, fullName: 'Siti Aminah Putri' })).toEqual({ outcome: 'mismatch', fields: ['fullName'] });
  });

  it('mismatch on a wrong birth date', async () => {
    expect(await provider().check({ ...siti, birthDate: '1990-05-16' })).toEqual({ outcome: 'mismatch', fields: ['birthDate'] });
  });

  it('mismatch on gender and birth date together', async () => {
    expect(await provider().check({ ...budi, gender: 'F', birthDate: '1985-12-08' })).toEqual({
      outcome: 'mismatch',
      fields: ['birthDate', 'gender'],
    });
  });

  it('not_found for an unknown NIK', async () => {
    expect(await provider().check({ ...siti, nik: '3174019999990009' })).toEqual({ outcome: 'not_found' });
  });

  it('IdentityUnavailableError on 500', async () => {
    mode = 'fail500';
    await expect(provider().check(siti)).rejects.toBeInstanceOf(IdentityUnavailableError);
  });

  it('IdentityUnavailableError on an unparseable 200', async () => {
    mode = 'garbage';
    await expect(provider().check(siti)).rejects.toBeInstanceOf(IdentityUnavailableError);
  });

  it('IdentityUnavailableError when the service rejects our credentials (not a not_found)', async () => {
    const p = createHttpIdentityProvider({ url, userId: USER, password: 'wrong' });
    await expect(p.check(siti)).rejects.toBeInstanceOf(IdentityUnavailableError);
  });

  it('IdentityUnavailableError when the service never answers', async () => {
    mode = 'hang';
    const p = createHttpIdentityProvider({ url, userId: USER, password: PASSWORD, timeoutMs: 200 });
    const started = Date.now();
    await expect(p.check(siti)).rejects.toBeInstanceOf(IdentityUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('IdentityUnavailableError when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const p = createHttpIdentityProvider({ url: `http://127.0.0.1:${port}/`, userId: USER, password: PASSWORD });
    const err: unknown = await p.check(siti).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdentityUnavailableError);
    expect(String((err as Error).message)).not.toContain(PASSWORD);
  });
});
