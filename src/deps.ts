import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { DebitProvider } from './modules/autodebit/debit-provider.js';
import type { CardSigner } from './modules/cards/card-token.js';
import type { RuleBook } from './modules/contributions/domain/rule-book.js';
import type { IdentityProvider } from './modules/identity/providers/identity-provider.js';
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
}
