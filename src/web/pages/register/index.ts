import type { PortalPage } from '../../context.js';
import { formOneAStep } from './form-1a.js';
import { registrationProgress } from './progress.js';
import { identityStep } from './step-identity.js';
import { jobStep } from './step-job.js';
import { programStep } from './step-program.js';
import { verifyStep } from './step-verify.js';

/**
 * Registration (/daftar…), one file per page: identity (step 1), occupation and branch (step 2, creates the
 * registration), the registration's own page (where it stands), verification (step 3), programs (step 4, issues the
 * first bill; step 5 is paying it on /bayar/{code}).
 */
export const registerRoutes: PortalPage = (app, p) => {
  identityStep(app, p);
  jobStep(app, p);
  formOneAStep(app, p);
  registrationProgress(app, p);
  verifyStep(app, p);
  programStep(app, p);
};
