import type { Hono } from 'hono';
import type { PortalDeps, PortalEnv } from '../context.js';
import { registerAccountPage } from './member/account.js';
import { registerAgentIncentivesPage } from './member/agent-incentives.js';
import { registerCardPage } from './member/card.js';
import { registerChoosePage } from './member/choose.js';
import { registerClaimsDetailPage } from './member/claims-detail.js';
import { registerClaimsJhtPage } from './member/claims-jht.js';
import { registerClaimsJkkPage } from './member/claims-jkk.js';
import { registerClaimsListPage } from './member/claims-list.js';
import { registerCodePage } from './member/code.js';
import { registerHeirsPage } from './member/heirs.js';
import { registerJhtPage } from './member/jht.js';
import { registerLoginPage } from './member/login.js';
import { registerLogout } from './member/logout.js';
import { registerProfilePage } from './member/profile.js';
import { registerReceiptPage } from './member/receipt.js';

/**
 * The member area of the portal, one route file per page under ./member/: sign-in by phone (/masuk), the code from
 * the SMS (/masuk/kode, /masuk/kirim-ulang), the choice of participant on a shared phone (/masuk/pilih), sign-out
 * (/keluar), the account with paying the next months (/akun, /akun/bayar), the digital card (/akun/kartu[.pdf]), the
 * JHT balance (/akun/jht), the heirs (/akun/ahli-waris, …/hapus) and the claims (/akun/klaim: the list, filing a JHT
 * claim or a JKK report, one claim with its documents), the member's data changes (/akun/profil), a PERISAI agent's incentive statements (/agen/insentif), the receipts of paid bills (/akun/bukti-bayar/{bill}.pdf).
 */
export function memberRoutes(app: Hono<PortalEnv>, p: PortalDeps): void {
  registerLoginPage(app, p);
  registerCodePage(app, p);
  registerChoosePage(app, p);
  registerLogout(app, p);
  registerAccountPage(app, p);
  registerCardPage(app, p);
  registerJhtPage(app, p);
  registerHeirsPage(app, p);
  registerClaimsListPage(app, p);
  registerClaimsJhtPage(app, p);
  registerClaimsJkkPage(app, p);
  registerClaimsDetailPage(app, p);
  registerProfilePage(app, p);
  registerAgentIncentivesPage(app, p);
  registerReceiptPage(app, p);
}
