import { payloadSha256, signV4, type SigV4Credentials } from './sigv4.js';
import { assertDocumentKey, type DocumentStore } from './store.js';

export interface S3StoreConfig {
  /** Base URL of the S3-compatible service, e.g. `https://s3.ap-southeast-3.amazonaws.com` or `http://minio:9000`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Documents in an S3-compatible bucket, path-style (`<endpoint>/<bucket>/<key>`, which every S3-compatible service
 * accepts), each request signed with SigV4 over `fetch`. `now` and `fetchImpl` are injectable for tests.
 */
export function s3DocumentStore(cfg: S3StoreConfig, deps: { now?: () => Date; fetchImpl?: typeof fetch } = {}): DocumentStore {
  const now = deps.now ?? (() => new Date());
  const doFetch = deps.fetchImpl ?? fetch;
  const creds: SigV4Credentials = { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey, region: cfg.region, service: 's3' };
  const base = cfg.endpoint.replace(/\/+$/, '');
  const call = async (method: 'PUT' | 'GET' | 'DELETE', key: string, body?: Buffer, contentType?: string): Promise<Response> => {
    assertDocumentKey(key);
    const url = new URL(`${base}/${encodeURIComponent(cfg.bucket)}/${key}`);
    const extra: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const headers = signV4({ method, url, headers: extra, payloadSha256: payloadSha256(body ?? '') }, creds, now());
    delete headers['host']; // fetch sets Host from the URL (it is a forbidden header name)
    return doFetch(url, { method, headers, ...(body ? { body: new Uint8Array(body) } : {}) });
  };
  const fail = async (what: string, res: Response): Promise<never> => {
    const text = (await res.text()).slice(0, 300);
    throw new Error(`S3 ${what} failed: HTTP ${res.status} ${text}`);
  };
  return {
    kind: 's3',
    async put(key, bytes, contentType) {
      const res = await call('PUT', key, bytes, contentType);
      if (!res.ok) await fail('PUT', res);
      await res.arrayBuffer();
    },
    async get(key) {
      const res = await call('GET', key);
      if (res.status === 404) {
        await res.arrayBuffer();
        return undefined;
      }
      if (!res.ok) await fail('GET', res);
      return Buffer.from(await res.arrayBuffer());
    },
    async delete(key) {
      const res = await call('DELETE', key);
      if (!res.ok && res.status !== 404) await fail('DELETE', res);
      await res.arrayBuffer();
    },
  };
}
