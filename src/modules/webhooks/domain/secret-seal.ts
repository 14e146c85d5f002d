import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A webhook signing secret at rest: AES-256-GCM under the current key of the NIK key ring (NIK_KEYS; production
 * refuses the development keys, config.ts), stored as `v1:<keyId>:<base64(iv | ciphertext | tag)>` like a sealed NIK.
 * The additional data `webhook-secret:v1:<keyId>` binds the value to this use: a sealed webhook secret never opens
 * as a NIK and the other way round. A secret sealed under a key the ring no longer has does not open: the partner
 * sets the endpoint again (PUT /api/v1/partner/webhook) to get a new secret.
 */
export interface SealKeys {
  seal: readonly { id: string; key: Buffer }[];
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const aad = (id: string) => Buffer.from(`webhook-secret:v1:${id}`);

export function sealWebhookSecret(secret: string, keys: SealKeys): string {
  const current = keys.seal[0];
  if (!current) {
    throw new Error('no seal key');
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', current.key, iv);
  cipher.setAAD(aad(current.id));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `v1:${current.id}:${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64')}`;
}

export function openWebhookSecret(sealed: string, keys: SealKeys): string {
  const [version, id, body] = sealed.split(':');
  const key = keys.seal.find((k) => k.id === id);
  if (version !== 'v1' || id === undefined || body === undefined || !key) {
    throw new Error('webhook secret does not open (not sealed, or its key is not in NIK_KEYS)');
  }
  const raw = Buffer.from(body, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) {
    throw new Error('sealed webhook secret too short');
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
  decipher.setAAD(aad(id));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
}
