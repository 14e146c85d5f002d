/**
 * The jobs module's facade: the job runner (the monthly cycle and collection jobs run inside it).
 * Other modules, src/web, the composition root and the jobs import this module only through this file; everything
 * else under this folder is internal (the boundary rule in .dependency-cruiser.cjs; tests may import deeper).
 */
export { runDueJobs, startJobRunner } from './run-due-jobs.js';
