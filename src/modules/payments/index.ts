/**
 * The payments module's facade: settlement of payment notifications, the channel, SNAP and QRIS adapters and their routes.
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { applyPaymentNotification, genericExternalId, PAYMENT_AMOUNT_MAX, PAYMENT_CHANNELS, type PaymentChannel } from './apply-payment.js';
export { billQrisPayload } from './bill-qris.js';
export { type CollectiveShare, type CollectiveShareOutcome, PAYER_CHANNEL, settleCollectiveShares } from './collective-shares.js';
export { channelRoutes } from './channels/channel.routes.js';
export { externalIdOf, isCleanText, parseIsoInstant, parseJakartaLocalTime, parseRupiahString } from './channels/payment-event.js';
export { paymentRoutes } from './payments.routes.js';
export { buildDynamicQris, DEV_QRIS_MERCHANT } from './qris/qris.js';
export { settlementsIdle } from './settlement.js';
export { DEV_SNAP_PARTNER_PUBLIC_KEY } from './snap/dev-partner-key.js';
export { qrisExternalId } from './snap/qris-notify.js';
export { snapAccessTokenRateLimited, snapRoutes } from './snap/snap.routes.js';
export { vaExternalId } from './snap/virtual-account.js';
