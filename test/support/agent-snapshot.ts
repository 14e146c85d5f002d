import { verify } from 'node:crypto';
import { canonicalJson, type MasterDataSnapshot } from '../../src/modules/agents/index.js';

/** Checks a master-data snapshot as any client can: Ed25519 over the canonical JSON, with only the published PEM. */
export function verifySnapshotWith(snap: MasterDataSnapshot, publicKeyPem: string): boolean {
  const text = Buffer.from(canonicalJson({ version: snap.version, issuedAt: snap.issuedAt, data: snap.data }), 'utf8');
  return verify(null, text, publicKeyPem, Buffer.from(snap.signature, 'base64url'));
}
