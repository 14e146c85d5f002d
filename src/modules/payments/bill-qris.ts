import type { Deps } from '../../deps.js';
import { buildDynamicQris, DEV_QRIS_MERCHANT } from './qris/qris.js';

/**
 * The dynamic QRIS payload a payer scans for a bill, or null when there is none to show. Only development has one:
 * it is made with the sample merchant (DEV_QRIS_MERCHANT) and cannot really be paid. Production shows no QR until
 * a real merchant (its NMID from the acquirer) is configured; the configuration has none yet.
 */
export function billQrisPayload(deps: Pick<Deps, 'config'>, bill: { paymentCode: string; amount: number }): string | null {
  if (!deps.config.isDevelopment) {
    return null;
  }
  const qris = buildDynamicQris({ merchant: DEV_QRIS_MERCHANT, amount: bill.amount, billNumber: bill.paymentCode });
  return qris.ok ? qris.value : null;
}
