import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../deps.js';
import { participantIdOf, requireParticipant, type AuthEnv } from '../../http/auth.js';
import { AppError } from '../../http/errors.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import { jsonResponse, ZError, ZMonth, ZRupiah } from '../../http/schemas.js';
import { getWalletView } from './wallet.js';

const ZWalletEntry = z
  .object({
    at: z.string().openapi({ example: '2026-11-22T10:00:00+07:00' }),
    kind: z.string().openapi({ description: 'topup | overpayment | manual_assignment | contribution', example: 'topup' }),
    amount: z.number().int().openapi({ description: 'Signed rupiah: positive into the wallet, negative out of it', example: 5000 }),
    balanceAfter: ZRupiah,
    month: ZMonth.optional().openapi({ description: 'The contribution month the wallet paid (kind contribution)' }),
    channel: z.string().optional(),
  })
  .openapi('WalletEntry');

const ZWallet = z
  .object({
    balance: ZRupiah,
    topUpCode: z.string().openapi({ example: '7000100000000177', description: "The member's stable top-up payment code: '7' + KPJ padded to 14 digits + a Luhn digit" }),
    next: z
      .object({ month: ZMonth, amount: ZRupiah, shortfall: ZRupiah })
      .nullable()
      .openapi({ description: 'The month the wallet pays next, its price, and what the balance still lacks; null when no month can be paid ahead' }),
    entries: z.array(ZWalletEntry),
  })
  .openapi('Wallet');

/** The member's contribution wallet (dompet iuran): GET /api/v1/me/wallet, with the member's session like /me. */
export function walletRoutes(deps: Deps) {
  const app = createOpenApiApp<AuthEnv>();
  const auth = requireParticipant(deps);
  // /me/* routes already authenticate the member (meRoutes); authenticate here only when nothing did.
  app.use('/me/wallet', async (c, next) => (c.get('principal') ? next() : auth(c, next)));
  return app.openapi(
    createRoute({
      method: 'get',
      path: '/me/wallet',
      tags: ['Peserta (participants)'],
      security: [{ bearerAuth: [] }],
      summary: 'Contribution wallet: balance, top-up code, the next month it pays, and its movements (newest first)',
      responses: { 200: jsonResponse(ZWallet, 'Wallet'), 401: jsonResponse(ZError, 'unauthorized') },
    }),
    async (c) => {
      const view = await getWalletView(deps, participantIdOf(c));
      if (!view) {
        throw new AppError('unauthorized');
      }
      c.header('Cache-Control', 'private, no-store');
      return c.json(view, 200);
    },
  );
}
