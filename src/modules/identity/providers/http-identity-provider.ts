/**
 * Client for a Dukcapil-style NIK verification web service (the population registry's service for
 * partner institutions). The real protocol is only available under a cooperation agreement (PKS), so
 * this implements an ASSUMED shape modelled on what integrators describe publicly:
 *
 *   POST <url>  Content-Type: application/json
 *   { "NIK": "3174…", "NAMA_LGKP": "SITI AMINAH", "TGL_LHR": "DD-MM-YYYY",
 *     "JENIS_KLMIN": "LAKI-LAKI" | "PEREMPUAN", "user_id": "…", "password": "…", "TRESHOLD": 100 }
 *
 *   found:    { "content": [ { "NIK": "Sesuai", "NAMA_LGKP": "Sesuai (100)" | "Tidak Sesuai (73)",
 *                              "TGL_LHR": "Sesuai" | "Tidak Sesuai", "JENIS_KLMIN": "Sesuai" | "Tidak Sesuai" } ] }
 *   unknown:  { "content": [ { "RESPONSE_CODE": "11", "RESPONSE": "Data Tidak Ditemukan" } ] }
 *
 * A found row whose NIK verdict is "Tidak Sesuai" is read as not_found (the NIK matches no record).
 * TRESHOLD 100 asks for an exact (normalised) name match: a fuzzy match would let a near-namesake
 * register under someone else's NIK. The service answers verdicts, not the record, so the registry's spelling
 * of a matched name is its KTP form: the claimed name in upper case with single spaces (normalizeName), which the
 * exact match makes equal to the record. Any answer we can't read with certainty — network error, timeout,
 * non-2xx, other RESPONSE_CODEs (quota, credentials), unknown verdict strings — throws
 * IdentityUnavailableError: the caller answers 503 rather than risk a wrong match or not_found.
 */
import { jsonPoster, type HttpClientOptions } from '../../../shared/http-client.js';
import { normalizeName, type IdentityCheck, type IdentityProvider, type PersonClaim } from './identity-provider.js';

export class IdentityUnavailableError extends Error {
  override readonly name = 'IdentityUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const NOT_FOUND_CODE = '11';

export function createHttpIdentityProvider(opts: {
  url: string;
  userId: string;
  password: string;
} & HttpClientOptions): IdentityProvider {
  const post = jsonPoster(opts);
  return {
    async check(claim: PersonClaim): Promise<IdentityCheck> {
      const body = JSON.stringify({
        NIK: claim.nik,
        NAMA_LGKP: claim.fullName,
        TGL_LHR: toDukcapilDate(claim.birthDate),
        JENIS_KLMIN: claim.gender === 'M' ? 'LAKI-LAKI' : 'PEREMPUAN',
        user_id: opts.userId,
        password: opts.password,
        TRESHOLD: 100,
      });
      let status: number;
      let text: string;
      try {
        const res = await post(opts.url, body);
        status = res.status;
        text = await res.text(); // still under the timeout signal
      } catch (err) {
        // Never include the request body in messages: it carries the service password and the NIK.
        throw new IdentityUnavailableError(`identity service unreachable: ${(err as Error).name}`, { cause: err });
      }
      if (status < 200 || status > 299) throw new IdentityUnavailableError(`identity service HTTP ${status}`);
      const check = parseResponse(text);
      return check.outcome === 'match' ? { outcome: 'match', registryName: normalizeName(claim.fullName) } : check;
    },
  };
}

function parseResponse(text: string): { outcome: 'match' } | Exclude<IdentityCheck, { outcome: 'match' }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new IdentityUnavailableError('identity service returned non-JSON');
  }
  const content = (json as { content?: unknown } | null)?.content;
  const row: unknown = Array.isArray(content) ? content[0] : undefined;
  if (typeof row !== 'object' || row === null) throw new IdentityUnavailableError('identity service response has no content');
  const r = row as Record<string, unknown>;

  if (r.RESPONSE_CODE !== undefined) {
    if (String(r.RESPONSE_CODE) === NOT_FOUND_CODE) return { outcome: 'not_found' };
    throw new IdentityUnavailableError(`identity service error code ${String(r.RESPONSE_CODE)}: ${String(r.RESPONSE ?? '')}`);
  }

  const nik = verdict(r.NIK);
  const name = verdict(r.NAMA_LGKP);
  const date = verdict(r.TGL_LHR);
  const gender = verdict(r.JENIS_KLMIN);
  if (nik === undefined || name === undefined || date === undefined || gender === undefined) {
    throw new IdentityUnavailableError('identity service returned an unrecognised verdict');
  }
  if (!nik) return { outcome: 'not_found' };
  const fields: ('fullName' | 'birthDate' | 'gender')[] = [];
  if (!name) fields.push('fullName');
  if (!date) fields.push('birthDate');
  if (!gender) fields.push('gender');
  return fields.length === 0 ? { outcome: 'match' } : { outcome: 'mismatch', fields };
}

/** "Sesuai" / "Sesuai (100)" → true, "Tidak Sesuai" / "Tidak Sesuai (73)" → false, anything else → undefined. */
function verdict(v: unknown): boolean | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toUpperCase();
  if (/^SESUAI(\s*\(\d+(\.\d+)?\))?$/.test(s)) return true;
  if (/^TIDAK SESUAI(\s*\(\d+(\.\d+)?\))?$/.test(s)) return false;
  return undefined;
}

function toDukcapilDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new RangeError(`birthDate must be YYYY-MM-DD: ${isoDate}`);
  return `${m[3]}-${m[2]}-${m[1]}`;
}
