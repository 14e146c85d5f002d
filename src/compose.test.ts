import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');

/** Every bare module specifier resolved while importing the composition root, in a Node process of its own. */
function modulesImportedAtStart(): string[] {
  const script = `
    const { registerHooks } = await import('node:module');
    const seen = new Set();
    registerHooks({ resolve(specifier, context, next) { seen.add(specifier); return next(specifier, context); } });
    await import('./src/compose.ts');
    process.stdout.write(JSON.stringify([...seen].filter((s) => /^[@a-z]/.test(s) && !s.startsWith('node:'))));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('what the server loads at start (issue 13, RSS)', () => {
  it('leaves pdfkit and nodemailer until the first card PDF and the first SMTP message', () => {
    const modules = modulesImportedAtStart();
    expect(modules).toEqual(expect.arrayContaining(['hono', 'kysely', 'zod']));
    expect(modules).not.toContain('pdfkit');
    expect(modules).not.toContain('nodemailer');
  });
});
