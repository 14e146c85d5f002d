/**
 * A subscriber URL the platform will POST to: an absolute https:// URL in production; http:// is allowed too
 * outside production (a receiver on a laptop, the tests' local receiver). No user:password part (the signature is the
 * authentication), no fragment; at most 2,000 characters.
 */
export function checkEndpointUrl(raw: string, allowHttp: boolean): { ok: true; url: string } | { ok: false; detail: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, detail: 'not an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return { ok: false, detail: allowHttp ? 'the URL must be http:// or https://' : 'the URL must be https://' };
  }
  if (url.username !== '' || url.password !== '' || url.hash !== '' || raw.length > 2_000) {
    return { ok: false, detail: 'no credentials or fragment in the URL, at most 2000 characters' };
  }
  return { ok: true, url: url.toString() };
}
