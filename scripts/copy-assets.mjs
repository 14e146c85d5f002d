// Part of `npm run build`: copies the files the compiled server reads at run time (the portal's static assets,
// src/web/assets.ts, and the database function files applied at start, src/db/function-sources.ts) beside the compiled
// JavaScript, so dist/ runs on its own.
import { cpSync } from 'node:fs';

cpSync('src/web/assets', 'dist/src/web/assets', { recursive: true });
cpSync('src/db/functions', 'dist/src/db/functions', { recursive: true });
