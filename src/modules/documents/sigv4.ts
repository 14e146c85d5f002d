import { createHash, createHmac } from 'node:crypto';

/**
 * AWS Signature Version 4 for S3-compatible object stores (AWS S3, MinIO, Cloudflare R2, Wasabi…), header-based:
 * the request carries `x-amz-date`, `x-amz-content-sha256` (the payload's sha256) and an `Authorization` header
 * `AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request, SignedHeaders=…, Signature=…`.
 * Written against the published algorithm (and tested with AWS's own example) rather than pulling in a client.
 */
export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
}

export interface SigV4Request {
  method: string;
  url: URL;
  /** Headers to sign besides host (lowercase names); `x-amz-date` and `x-amz-content-sha256` are added. */
  headers: Record<string, string>;
  payloadSha256: string;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** `20130524T000000Z` and `20130524` from an instant. */
export function amzDates(at: Date): { amzDate: string; day: string } {
  const amzDate = at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return { amzDate, day: amzDate.slice(0, 8) };
}

/** The headers to send (all signed ones plus Authorization). Pure: the instant is passed in. */
export function signV4(req: SigV4Request, creds: SigV4Credentials, at: Date): Record<string, string> {
  const { amzDate, day } = amzDates(at);
  const headers: Record<string, string> = { ...req.headers, host: req.url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': req.payloadSha256 };
  const names = Object.keys(headers)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')]));
  const signedHeaders = names.join(';');
  const path = req.url.pathname.split('/').map((seg) => uriEncode(decodeURIComponent(seg))).join('/');
  const canonical = [req.method, path, canonicalQuery(req.url), names.map((n) => `${n}:${lower[n]}\n`).join(''), signedHeaders, req.payloadSha256].join('\n');
  const scope = `${day}/${creds.region}/${creds.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const kSigning = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), creds.region), creds.service), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign).digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

export { sha256Hex as payloadSha256 };
