import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DebitProvider } from './modules/autodebit/index.js';
import type { CardSigner } from './modules/cards/index.js';
import type { RuleBook } from './modules/contributions/index.js';
import type { IdentityProvider } from './modules/identity/index.js';
import type { CardData } from './modules/membership/index.js';
import type { PartnerPort } from './modules/partners/index.js';
import type { DisbursementProvider } from './modules/payouts/index.js';
import type { Clock } from './shared/clock.js';
import type { Logger } from './shared/logger.js';
import type { Metrics } from './shared/metrics.js';

/** Everything a use case may touch, assembled once in the composition root (main.ts) or a test. */
export interface Deps {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  rules: RuleBook;
  identity: IdentityProvider;
  cardSigner: CardSigner;
  logger: Logger;
  /** Prometheus metrics (src/shared/metrics.ts), served by GET /metrics. */
  metrics: Metrics;
  /** The auto-debit provider; null = auto-debit off (production until a real provider is wired in compose.ts). */
  debit: DebitProvider | null;
  /** Who sends benefit payouts (PAYOUT_PROVIDER; src/modules/payouts); null = payouts off (production without Xendit keys). */
  disbursement: DisbursementProvider | null;
  /**
   * A participant's card (membership's getCard), for the outbox worker to attach to the card email: a port, wired in
   * compose.ts, so that notifications does not import membership (which queues messages: issue 14's cycle).
   */
  memberCard: (deps: Deps, participantId: string) => Promise<CardData | null>;
  /**
   * Partner bearer tokens and whom a partner enrolled (src/modules/partners), for src/http/auth.ts and the participant
   * look-up: a port wired in compose.ts, so that membership and src/http do not import partners (which enrols through
   * registration → membership). Absent = no partner is ever recognised.
   */
  partners?: PartnerPort;
}
