import { describe, expect, it } from 'vitest';
import { describeTables } from '../../scripts/citus/catalog.js';
import { CITUS_LAYOUT } from '../../scripts/citus/layout.js';
import { formatReport, lintCitus, type Layout, type TableDescription } from '../../scripts/citus/rules.js';
import { migrateToLatest, openPglite } from '../../src/db/connect.js';

/*
 * The Citus lint (npm run lint:citus, docs/scaling.md): its rules over described schemas, then over the catalog of a
 * really migrated database, so it can neither report nothing by accident nor drift from the migrations unnoticed.
 */
type Column = TableDescription['columns'][number];
const col = (name: string, type = 'text', notNull = true, identity = false): Column => ({ name, type, notNull, identity });
const pk = (name: string, ...columns: string[]) => ({ name, columns, primary: true, expression: false });
const unique = (name: string, ...columns: string[]) => ({ name, columns, primary: false, expression: false });
const fk = (name: string, columns: string[], references: string, referencedColumns: string[]) => ({ name, columns, references, referencedColumns });
const table = (name: string, t: Partial<Omit<TableDescription, 'name'>>): TableDescription => ({
  name,
  columns: [],
  uniques: [],
  foreignKeys: [],
  triggers: [],
  ...t,
});

const layout: Layout = {
  member: { kind: 'distributed', by: 'id', colocate: 'm', why: '' },
  invoice: { kind: 'distributed', by: 'member_id', colocate: 'm', why: '' },
  by_code: { kind: 'distributed', by: 'code', colocate: 'codes', why: '' },
  rate: { kind: 'reference', why: '' },
  queue: { kind: 'local', why: '' },
};

const inLine: TableDescription[] = [
  table('member', { columns: [col('id'), col('name')], uniques: [pk('member_pkey', 'id')] }),
  table('invoice', {
    columns: [col('member_id'), col('id'), col('rate_id', 'bigint')],
    uniques: [pk('invoice_pkey', 'member_id', 'id'), unique('invoice_code_key', 'id', 'member_id')],
    foreignKeys: [fk('invoice_member_fkey', ['member_id'], 'member', ['id']), fk('invoice_rate_fkey', ['rate_id'], 'rate', ['id'])],
  }),
  table('by_code', { columns: [col('code'), col('member_id')], uniques: [pk('by_code_pkey', 'code')] }),
  table('rate', { columns: [col('id', 'bigint'), col('bank_id', 'character varying(255)')], uniques: [pk('rate_pkey', 'id')] }),
  table('queue', { columns: [col('id', 'bigint', true, true), col('member_id')], foreignKeys: [fk('queue_rate_fkey', ['id'], 'rate', ['id'])] }),
];

describe('Citus rules over a described schema', () => {
  it('finds nothing in a schema that follows the layout', () => {
    expect(lintCitus(inLine, layout)).toEqual([]);
  });

  it('reports each rule a schema breaks, table by table', () => {
    const broken: TableDescription[] = [
      table('member', { columns: [col('id'), col('kpj')], uniques: [pk('member_pkey', 'id'), unique('member_kpj_key', 'kpj')], triggers: ['member_audit'] }),
      table('invoice', {
        columns: [col('member_id', 'text', false), col('id', 'integer'), col('code')],
        uniques: [pk('invoice_pkey', 'id'), { name: 'invoice_lower_idx', columns: [], primary: false, expression: true }],
        foreignKeys: [
          fk('invoice_member_fkey', ['member_id'], 'member', ['id']),
          fk('invoice_code_fkey', ['code'], 'by_code', ['code']),
          fk('invoice_queue_fkey', ['id'], 'queue', ['id']),
        ],
      }),
      table('by_code', { columns: [col('code', 'integer'), col('member_id')], uniques: [pk('by_code_pkey', 'code')], foreignKeys: [fk('by_code_member_fkey', ['member_id'], 'member', ['id'])] }),
      table('rate', { columns: [col('id', 'bigint')], foreignKeys: [fk('rate_member_fkey', ['id'], 'member', ['id'])] }),
      table('queue', { columns: [col('seq', 'integer', true, true)] }),
      table('stray', { columns: [col('id')] }),
    ];
    const found = lintCitus(broken, { ...layout, gone: { kind: 'local', why: '' } }).map((f) => `${f.table} ${f.rule}: ${f.detail}`);
    expect(found).toEqual([
      'member unique_without_distribution_column: unique member_kpj_key (kpj)',
      'member trigger_on_distributed: trigger member_audit',
      'invoice distribution_column_nullable: member_id is nullable',
      'invoice unique_without_distribution_column: primary key invoice_pkey (id)',
      'invoice unique_without_distribution_column: unique invoice_lower_idx (expression)',
      'invoice foreign_key_not_colocated: invoice_code_fkey: (code) → by_code (code), distributed → distributed',
      'invoice foreign_key_to_local: invoice_queue_fkey: (id) → queue (id), distributed → local',
      'invoice id_type: id is integer',
      'by_code distribution_column_type: code is integer',
      'by_code foreign_key_not_colocated: by_code_member_fkey: (member_id) → member (id), distributed → distributed',
      'rate no_primary_key: no primary key',
      'rate foreign_key_to_distributed: rate_member_fkey: (id) → member (id), reference → distributed',
      'queue id_type: seq is integer (identity)',
      'stray unclassified: not in the layout',
      'gone not_in_schema: declared in the layout, absent from the migrated database',
    ]);
  });

  it('needs the foreign key to join the distribution columns themselves, not just name them', () => {
    const crossed = [
      inLine[0]!,
      table('invoice', {
        columns: [col('member_id'), col('id'), col('other_member')],
        uniques: [pk('invoice_pkey', 'member_id', 'id')],
        foreignKeys: [fk('invoice_other_fkey', ['other_member', 'member_id'], 'member', ['id', 'name'])],
      }),
    ];
    expect(lintCitus(crossed, layout).map((f) => f.rule)).toEqual(['foreign_key_not_colocated', 'not_in_schema', 'not_in_schema', 'not_in_schema']);
  });

  it('prints a summary, the rules broken and every table with its role', () => {
    const report = formatReport(inLine.slice(0, 2), layout, [{ table: 'invoice', rule: 'id_type', detail: 'id is integer' }]);
    expect(report.split('\n')).toEqual([
      'Citus lint: 2 tables (2 distributed, 0 reference, 0 local, 0 unclassified); 1 findings in 1 tables. A report, not a gate (docs/scaling.md).',
      '',
      '    1  id_type: ids (id, *_id, identity columns) are bigint, uuid or text',
      '',
      '✓ member: distributed by id (colocation m)',
      '✗ invoice: distributed by member_id (colocation m)',
      '    id_type: id is integer',
    ]);
  });
});

describe('Citus lint over the migrated schema', () => {
  it('reads the catalog and reports the tables that are not yet in line', async () => {
    const handle = await openPglite();
    try {
      await migrateToLatest(handle.db);
      const tables = await describeTables(handle.db);
      const byName = new Map(tables.map((t) => [t.name, t]));
      // The catalog as the rules see it.
      expect(byName.get('coverage_month')?.uniques).toContainEqual(pk('coverage_month_pkey', 'participant_id', 'month'));
      expect(byName.get('coverage_month')?.foreignKeys).toContainEqual(fk('coverage_month_bill_id_fkey', ['bill_id'], 'bill', ['id']));
      expect(byName.get('ledger_transfer')?.triggers).toEqual(['ledger_transfer_append_only', 'ledger_transfer_no_truncate']);
      expect(byName.get('membership_status_change')?.columns).toContainEqual(col('id', 'bigint', true, true));
      expect(byName.get('bill')?.columns).toContainEqual(col('participant_id', 'text', false));

      const found = lintCitus(tables, CITUS_LAYOUT).map((f) => `${f.table} ${f.rule}: ${f.detail}`);
      expect(found).toEqual(
        expect.arrayContaining([
          'participant unique_without_distribution_column: unique participant_kpj_key (kpj)',
          'bill distribution_column_nullable: participant_id is nullable',
          'bill_line distribution_column_missing: no column participant_id',
          'payment unique_without_distribution_column: unique payment_external_id_key (external_id)',
          'coverage_month foreign_key_not_colocated: coverage_month_bill_id_fkey: (bill_id) → bill (id), distributed → distributed',
          'ledger_transfer trigger_on_distributed: trigger ledger_transfer_append_only',
          'payment_resolution foreign_key_to_distributed: payment_resolution_payment_id_fkey: (payment_id) → payment (id), local → distributed',
        ]),
      );
      // What already follows the rules is not reported.
      expect(found.filter((f) => f.startsWith('holiday ') || f.startsWith('holiday_year '))).toEqual([]);
      expect(found.filter((f) => f.includes('coverage_month_participant_id_fkey') || f.includes('coverage_month_pkey'))).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
