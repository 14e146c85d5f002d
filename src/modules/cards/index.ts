/**
 * The cards module's facade: the signed card token, its QR code, the card PDF and the verification URL.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { formatKpj, renderCardPdf } from './card-pdf.js';
export { qrMatrix, qrPng, qrSvg } from './card-qr.js';
export { type CardSigner, createCardSigner } from './card-token.js';
export { cardVerifyUrl } from './verify-url.js';
