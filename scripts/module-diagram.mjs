// `npm run docs:modules`: draws the dependencies between the modules of src/modules (one node per module, tests left
// out) with dependency-cruiser — the tool and configuration of `npm run lint:boundaries` — as a mermaid flowchart, and
// writes it into docs/architecture.md between the two module-diagram markers. With --check it only compares, and
// fails when the document is behind the code (CI runs that).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const DOC = 'docs/architecture.md';
const BEGIN = '<!-- module-diagram:begin (npm run docs:modules writes this block) -->';
const END = '<!-- module-diagram:end -->';

const mermaid = execFileSync(
  process.execPath,
  [
    'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs',
    'src',
    '--config',
    '.dependency-cruiser.cjs',
    '--include-only',
    '^src/modules',
    '--collapse',
    '^src/modules/[^/]+',
    '--output-type',
    'mermaid',
  ],
  { encoding: 'utf8' },
).trim();

const doc = readFileSync(DOC, 'utf8');
const start = doc.indexOf(BEGIN);
const end = doc.indexOf(END);
if (start < 0 || end < start) {
  throw new Error(`${DOC} has no module-diagram markers`);
}
const updated = `${doc.slice(0, start)}${BEGIN}\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n${doc.slice(end)}`;

if (process.argv.includes('--check')) {
  if (updated !== doc) {
    console.error(`${DOC}: the module diagram is not the one the code draws; run npm run docs:modules and commit it`);
    process.exit(1);
  }
  console.log(`${DOC}: the module diagram is current`);
} else {
  writeFileSync(DOC, updated);
  console.log(`${DOC}: module diagram written`);
}
