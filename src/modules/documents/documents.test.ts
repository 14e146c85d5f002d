import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDuringSuite } from '../../../test/support/local-http.js';
import { DOCUMENT_MAX_BYTES, inspectDocument, localDocumentStore, s3DocumentStore, storeDocument, type DocumentStore } from './index.js';
import { signV4 } from './sigv4.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR rest of a png')]);
const JPG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('\x00\x10JFIF\x00 rest of a jpeg')]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('inspectDocument: the type is decided from the bytes, never from the name or declared type', () => {
  const cases: { name: string; upload: { bytes: Uint8Array; fileName?: string; declaredType?: string }; expected: string }[] = [
    { name: 'a PNG named .pdf is a PNG', upload: { bytes: PNG, fileName: 'ktp.pdf', declaredType: 'application/pdf' }, expected: 'image/png' },
    { name: 'a PDF declared image/png is a PDF', upload: { bytes: PDF, fileName: 'surat.png', declaredType: 'image/png' }, expected: 'application/pdf' },
    { name: 'a JPG without a name or type', upload: { bytes: JPG }, expected: 'image/jpeg' },
    { name: 'an HTML file named .jpg is refused', upload: { bytes: HTML, fileName: 'foto.jpg', declaredType: 'image/jpeg' }, expected: 'document_type_not_allowed' },
    { name: 'an empty file is refused', upload: { bytes: new Uint8Array(0), fileName: 'kosong.pdf', declaredType: 'application/pdf' }, expected: 'document_empty' },
    { name: 'three bytes of a PNG signature are not a PNG', upload: { bytes: PNG.subarray(0, 3) }, expected: 'document_type_not_allowed' },
    { name: 'a PDF of exactly 6 MB is accepted', upload: { bytes: Buffer.concat([PDF, Buffer.alloc(DOCUMENT_MAX_BYTES - PDF.length)]) }, expected: 'application/pdf' },
    { name: 'a PDF of 6 MB + 1 byte is refused', upload: { bytes: Buffer.concat([PDF, Buffer.alloc(DOCUMENT_MAX_BYTES + 1 - PDF.length)]) }, expected: 'document_too_large' },
  ];
  it.each(cases)('$name', ({ upload, expected }) => {
    const r = inspectDocument(upload);
    expect(r.ok ? r.value.type : r.code).toBe(expected);
    if (r.ok) {
      expect(r.value).toMatchObject({ key: sha(upload.bytes), sha256: sha(upload.bytes), size: upload.bytes.byteLength, fileName: upload.fileName });
    }
  });

  it('6 MB is 6 × 1024 × 1024 bytes', () => {
    expect(DOCUMENT_MAX_BYTES).toBe(6_291_456);
  });
});

/** The same behaviour from both adapters. */
function storeContract(name: string, make: () => DocumentStore) {
  describe(`${name} store`, () => {
    it('stores under the sha256, reads back, is idempotent, deletes', async () => {
      const store = make();
      const r = await storeDocument(store, { bytes: PNG, fileName: 'x.pdf' });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.key).toBe(sha(PNG));
      expect(await store.get(r.value.key)).toEqual(PNG);
      expect((await storeDocument(store, { bytes: PNG })).ok).toBe(true); // same bytes again: harmless
      expect(await store.get(r.value.key)).toEqual(PNG);
      await store.delete(r.value.key);
      expect(await store.get(r.value.key)).toBeUndefined();
      await store.delete(r.value.key); // deleting twice is fine
    });

    it('refused uploads store nothing', async () => {
      const store = make();
      const r = await storeDocument(store, { bytes: HTML, fileName: 'a.jpg' });
      expect(r).toMatchObject({ ok: false, code: 'document_type_not_allowed' });
      expect(await store.get(sha(HTML))).toBeUndefined();
    });

    it('refuses a key that is not a sha256 (no path traversal)', async () => {
      await expect(make().get('../../etc/passwd')).rejects.toThrow(/invalid document key/);
    });
  });
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lindung-docs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

storeContract('local', () => localDocumentStore(dir));

describe('local store: atomic writes', () => {
  it('leaves no temporary file behind and shards by the first two hex digits', async () => {
    const store = localDocumentStore(dir);
    await store.put(sha(JPG), JPG, 'image/jpeg');
    const folder = join(dir, 'documents', sha(JPG).slice(0, 2));
    expect(await readdir(folder)).toEqual([sha(JPG)]);
  });
});

// ---- S3: AWS's published SigV4 example, then a fake S3 server checking each request's signature.

describe('SigV4 signer', () => {
  it("reproduces AWS's GET Object example (S3 docs, 'Signature calculation: Authorization header')", () => {
    const headers = signV4(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { range: 'bytes=0-9' },
        payloadSha256: sha(Buffer.alloc(0)),
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

const S3 = { bucket: 'lindung-docs', region: 'ap-southeast-3', accessKeyId: 'AKIDLINDUNGTEST', secretAccessKey: 'fake-s3-secret' };
const NOW = new Date('2026-12-07T12:00:00Z');

interface SeenRequest {
  method: string;
  path: string;
  authorization: string;
  contentSha256: string;
  bodySha256: string;
  signatureValid: boolean;
}

/** A fake S3: keeps objects in memory, answers 403 to a request whose signature it cannot reproduce. */
function fakeS3(seen: SeenRequest[]): Server {
  const objects = new Map<string, Buffer>();
  return createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const auth = String(req.headers['authorization'] ?? '');
    const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
    const toSign = Object.fromEntries(signed.filter((h) => !['host', 'x-amz-date', 'x-amz-content-sha256'].includes(h)).map((h) => [h, String(req.headers[h])]));
    const expected = signV4(
      { method: req.method ?? '', url: new URL(req.url ?? '/', `http://${req.headers.host}`), headers: toSign, payloadSha256: String(req.headers['x-amz-content-sha256']) },
      { ...S3, service: 's3' },
      NOW,
    )['authorization'];
    const record: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: auth,
      contentSha256: String(req.headers['x-amz-content-sha256']),
      bodySha256: sha(body),
      signatureValid: auth === expected && req.headers['x-amz-date'] === '20261207T120000Z',
    };
    seen.push(record);
    if (!record.signatureValid || record.contentSha256 !== record.bodySha256) {
      res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    const key = req.url ?? '';
    if (req.method === 'PUT') objects.set(key, body);
    if (req.method === 'DELETE') objects.delete(key);
    if (req.method === 'GET') {
      const obj = objects.get(key);
      res.writeHead(obj ? 200 : 404).end(obj ?? '<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    res.writeHead(req.method === 'DELETE' ? 204 : 200).end();
  });
}

describe('S3 store against a fake S3 server', () => {
  const seen: SeenRequest[] = [];
  const s3 = serveDuringSuite(fakeS3(seen));
  const make = () => s3DocumentStore({ endpoint: s3.url(), ...S3 }, { now: () => NOW });

  storeContract('s3', make);

  it('signs every request: path-style URL, SigV4 credential scope, signed headers, payload hash', async () => {
    seen.length = 0;
    await make().put(sha(PDF), PDF, 'application/pdf');
    const [put] = seen;
    expect(put).toMatchObject({ method: 'PUT', path: `/lindung-docs/${sha(PDF)}`, contentSha256: sha(PDF), bodySha256: sha(PDF), signatureValid: true });
    expect(put?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLINDUNGTEST\/20261207\/ap-southeast-3\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('a wrong secret is refused by the server and surfaces as an error', async () => {
    const bad = s3DocumentStore({ endpoint: s3.url(), ...S3, secretAccessKey: 'wrong' }, { now: () => NOW });
    await expect(bad.put(sha(PNG), PNG, 'image/png')).rejects.toThrow(/S3 PUT failed: HTTP 403/);
  });
});

describe('configuration', () => {
  it('DOCUMENT_STORE: local under DATA_DIR by default; s3 needs every S3 variable', async () => {
    const { loadConfig, ConfigError } = await import('../../config.js');
    const { documentStoreFromConfig } = await import('./index.js');
    expect(documentStoreFromConfig(loadConfig({ NODE_ENV: 'development' })).kind).toBe('local');
    const s3 = { NODE_ENV: 'development', DOCUMENT_STORE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'docs', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    expect(loadConfig(s3).documents).toEqual({ kind: 's3', s3: { endpoint: 'http://minio:9000', bucket: 'docs', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's' } });
    expect(documentStoreFromConfig(loadConfig(s3)).kind).toBe('s3');
    expect(() => loadConfig({ ...s3, S3_BUCKET: undefined })).toThrow(ConfigError);
  });
});
