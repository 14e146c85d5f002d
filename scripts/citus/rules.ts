/**
 * The Citus rules (docs/scaling.md, "Citus layout"), as a pure function over a described schema and a declared
 * layout. No Citus is needed: the rules are what `create_distributed_table` / `create_reference_table` would refuse
 * (or run unsafely), checked against the catalog of a migrated database (scripts/citus/catalog.ts).
 */

/** What the lint needs to know about one table of the migrated database. */
export interface TableDescription {
  name: string;
  columns: { name: string; type: string; notNull: boolean; identity: boolean }[];
  /** Primary key, unique constraints and unique indexes (partial ones too: Citus asks the same of them). */
  uniques: { name: string; columns: string[]; primary: boolean; expression: boolean }[];
  foreignKeys: { name: string; columns: string[]; references: string; referencedColumns: string[] }[];
  /** User triggers (not the internal ones of foreign keys). */
  triggers: string[];
}

export type TableRole =
  /** Sharded by `by`; tables of one colocation group keep a member's rows on one node. */
  | { kind: 'distributed'; by: string; colocate: string; why: string }
  /** Copied to every node: small, read everywhere, rarely written. */
  | { kind: 'reference'; why: string }
  /** Stays on the coordinator only (staff, queues, short-lived counters). */
  | { kind: 'local'; why: string };

export type Layout = Readonly<Record<string, TableRole>>;

export const RULES = {
  unclassified: 'the table is in no list of the layout (scripts/citus/layout.ts): decide distributed, reference or local',
  not_in_schema: 'the layout names a table the migrations do not create',
  distribution_column_missing: 'a distributed table needs its distribution column',
  distribution_column_nullable: 'Citus refuses a NULL distribution column',
  distribution_column_type: 'distribution columns are bigint, uuid or text',
  no_primary_key: 'distributed and reference tables need a primary key (replica identity for shard moves)',
  unique_without_distribution_column:
    'every primary key, unique constraint and unique index of a distributed table must include its distribution column; a global key needs a look-up table distributed by that key',
  foreign_key_not_colocated:
    'a foreign key between distributed tables must join their distribution columns, within one colocation group',
  foreign_key_to_distributed: 'reference and local tables cannot reference a distributed table',
  foreign_key_to_local: 'distributed and reference tables cannot reference a local table',
  id_type: 'ids (id, *_id, identity columns) are bigint, uuid or text',
  trigger_on_distributed: 'triggers on distributed tables run on every shard only with citus.enable_unsafe_triggers',
} as const;

export type RuleId = keyof typeof RULES;

export interface Finding {
  table: string;
  rule: RuleId;
  detail: string;
}

const KEY_TYPES = new Set(['bigint', 'uuid', 'text']);

/** bigint, uuid or text (varchar is text with a length check). */
function isKeyType(type: string): boolean {
  return KEY_TYPES.has(type) || /^character varying(\(\d+\))?$/.test(type);
}

function isIdColumn(name: string): boolean {
  return name === 'id' || name.endsWith('_id');
}

function distributedChecks(t: TableDescription, role: Extract<TableRole, { kind: 'distributed' }>): Finding[] {
  const out: Finding[] = [];
  const col = t.columns.find((c) => c.name === role.by);
  if (!col) {
    out.push({ table: t.name, rule: 'distribution_column_missing', detail: `no column ${role.by}` });
  } else {
    if (!col.notNull) {
      out.push({ table: t.name, rule: 'distribution_column_nullable', detail: `${role.by} is nullable` });
    }
    if (!isKeyType(col.type)) {
      out.push({ table: t.name, rule: 'distribution_column_type', detail: `${role.by} is ${col.type}` });
    }
  }
  for (const u of t.uniques) {
    if (!u.columns.includes(role.by)) {
      const what = u.primary ? 'primary key' : 'unique';
      out.push({ table: t.name, rule: 'unique_without_distribution_column', detail: `${what} ${u.name} (${[...u.columns, ...(u.expression ? ['expression'] : [])].join(', ')})` });
    }
  }
  for (const tg of t.triggers) {
    out.push({ table: t.name, rule: 'trigger_on_distributed', detail: `trigger ${tg}` });
  }
  return out;
}

/** A foreign key between two distributed tables is co-located when it maps one distribution column onto the other. */
function joinsDistributionColumns(fk: TableDescription['foreignKeys'][number], fromBy: string, toBy: string): boolean {
  const i = fk.columns.indexOf(fromBy);
  return i >= 0 && fk.referencedColumns[i] === toBy;
}

function foreignKeyChecks(t: TableDescription, role: TableRole, layout: Layout): Finding[] {
  const out: Finding[] = [];
  for (const fk of t.foreignKeys) {
    const target = layout[fk.references];
    if (!target) {
      continue; // the target is reported as unclassified itself
    }
    const detail = `${fk.name}: (${fk.columns.join(', ')}) → ${fk.references} (${fk.referencedColumns.join(', ')}), ${role.kind} → ${target.kind}`;
    if (target.kind === 'distributed') {
      if (role.kind !== 'distributed') {
        out.push({ table: t.name, rule: 'foreign_key_to_distributed', detail });
      } else if (role.colocate !== target.colocate || !joinsDistributionColumns(fk, role.by, target.by)) {
        out.push({ table: t.name, rule: 'foreign_key_not_colocated', detail });
      }
    } else if (target.kind === 'local' && role.kind !== 'local') {
      out.push({ table: t.name, rule: 'foreign_key_to_local', detail });
    }
  }
  return out;
}

function idTypeChecks(t: TableDescription): Finding[] {
  return t.columns
    .filter((c) => (isIdColumn(c.name) || c.identity) && !isKeyType(c.type))
    .map((c) => ({ table: t.name, rule: 'id_type' as const, detail: `${c.name} is ${c.type}${c.identity ? ' (identity)' : ''}` }));
}

/** Every departure of the schema from the layout's rules, table by table in the schema's order. */
export function lintCitus(tables: readonly TableDescription[], layout: Layout): Finding[] {
  const findings: Finding[] = [];
  const names = new Set(tables.map((t) => t.name));
  for (const t of tables) {
    const role = layout[t.name];
    if (!role) {
      findings.push({ table: t.name, rule: 'unclassified', detail: 'not in the layout' });
      continue;
    }
    if (role.kind === 'distributed') {
      findings.push(...distributedChecks(t, role));
    }
    if (role.kind !== 'local' && !t.uniques.some((u) => u.primary)) {
      findings.push({ table: t.name, rule: 'no_primary_key', detail: 'no primary key' });
    }
    findings.push(...foreignKeyChecks(t, role, layout));
    findings.push(...idTypeChecks(t));
  }
  for (const name of Object.keys(layout).filter((n) => !names.has(n))) {
    findings.push({ table: name, rule: 'not_in_schema', detail: 'declared in the layout, absent from the migrated database' });
  }
  return findings;
}

function roleLabel(role: TableRole | undefined): string {
  if (!role) {
    return 'unclassified';
  }
  return role.kind === 'distributed' ? `distributed by ${role.by} (colocation ${role.colocate})` : role.kind;
}

/** The printed report: a summary, then every table with its role and findings. */
export function formatReport(tables: readonly TableDescription[], layout: Layout, findings: readonly Finding[]): string {
  const counts = { distributed: 0, reference: 0, local: 0, unclassified: 0 };
  for (const t of tables) {
    counts[layout[t.name]?.kind ?? 'unclassified']++;
  }
  const byTable = new Map<string, Finding[]>();
  for (const f of findings) {
    byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
  }
  const byRule = new Map<RuleId, number>();
  for (const f of findings) {
    byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
  }
  const lines = [
    `Citus lint: ${tables.length} tables (${counts.distributed} distributed, ${counts.reference} reference, ${counts.local} local, ${counts.unclassified} unclassified); ` +
      `${findings.length} findings in ${byTable.size} tables. A report, not a gate (docs/scaling.md).`,
    '',
    ...[...byRule].map(([rule, n]) => `  ${String(n).padStart(3)}  ${rule}: ${RULES[rule]}`),
    '',
  ];
  const ordered = [...tables.map((t) => t.name), ...[...byTable.keys()].filter((n) => !tables.some((t) => t.name === n))];
  for (const name of ordered) {
    const own = byTable.get(name) ?? [];
    lines.push(`${own.length ? '✗' : '✓'} ${name}: ${roleLabel(layout[name])}`);
    for (const f of own) {
      lines.push(`    ${f.rule}: ${f.detail}`);
    }
  }
  return lines.join('\n');
}
