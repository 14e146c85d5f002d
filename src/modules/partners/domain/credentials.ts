/**
 * OAuth2 client credentials of partners (RFC 6749 §4.4), pure parts: reading the client from HTTP Basic or the form
 * (§2.3.1), the scopes, the token's shape. Secrets and tokens are random (32 bytes), so a plain SHA-256 of them is a
 * safe stored form (no dictionary to guess from); they are never stored in plain.
 */
export const PARTNER_SCOPES = ['enrolment', 'members', 'webhooks'] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

export const PARTNER_FUNDINGS = ['partner', 'sponsor', 'apbn', 'apbd'] as const;
export type PartnerFunding = (typeof PARTNER_FUNDINGS)[number];

/** Bearer tokens of partners carry this prefix: a partner token is never looked up as a staff or participant one. */
export const PARTNER_TOKEN_PREFIX = 'ptn_';
export const PARTNER_TOKEN_TTL_SECONDS = 3600;

export function isPartnerScope(s: string): s is PartnerScope {
  return (PARTNER_SCOPES as readonly string[]).includes(s);
}

/** Scopes as given (default: all); null when one is unknown or repeated. */
export function parseScopes(scopes: readonly string[] | undefined): PartnerScope[] | null {
  if (scopes === undefined) {
    return [...PARTNER_SCOPES];
  }
  if (scopes.length === 0 || new Set(scopes).size !== scopes.length || !scopes.every(isPartnerScope)) {
    return null;
  }
  return scopes.filter(isPartnerScope);
}

/** The client of a token request: HTTP Basic (ids and secrets form-urlencoded inside, §2.3.1) or the form fields; null when neither or both. */
export function clientCredentials(authorization: string | undefined, form: { client_id?: string; client_secret?: string }): { clientId: string; clientSecret: string } | null {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec((authorization ?? '').trim());
  const inForm = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic) {
    if (inForm) {
      return null;
    }
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) {
      return null;
    }
    try {
      return { clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')), clientSecret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')) };
    } catch {
      return null;
    }
  }
  if (form.client_id && form.client_secret) {
    return { clientId: form.client_id, clientSecret: form.client_secret };
  }
  return null;
}

/** A client may be used while not revoked and not past its expiry. */
export function clientUsable(client: { revoked_at: Date | null; expires_at: Date | null }, now: Date): boolean {
  return client.revoked_at === null && (client.expires_at === null || client.expires_at.getTime() > now.getTime());
}
