import { useSampleClock } from './channel-clients.js';
import { resetStaffSeq } from './claims.js';
import { resetFactoryCounters } from './factories.js';
import { resetPayoutSeq } from './payout-fixtures.js';

/**
 * Runs before every test file (vitest.config.ts setupFiles). Workers keep their module cache from one file to the
 * next (isolate: false), so the support modules' state — factory counters (which also pick a person's name and
 * gender), sequences, the sample clock pointing at a closed app — is put back to what a freshly imported module
 * has: each file sees exactly what it saw when every file had its own process.
 */
resetFactoryCounters();
resetStaffSeq();
resetPayoutSeq();
useSampleClock(null);
