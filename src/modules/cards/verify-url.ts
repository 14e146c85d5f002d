import type { CardSigner } from './card-token.js';

/** The URL a card's QR code opens: the public verification endpoint with a signed token for this KPJ. */
export function cardVerifyUrl(publicBaseUrl: string, signer: CardSigner, kpj: string, issuedAt: Date): string {
  const token = signer.sign({ v: 1, kpj, issuedAt: issuedAt.toISOString() });
  return `${publicBaseUrl}/api/v1/cards/verify?token=${encodeURIComponent(token)}`;
}
