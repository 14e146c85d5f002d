/**
 * A bill's amount is the sum of its lines' net amounts, checked at commit by two deferred constraint triggers
 * (migrations/2026-12-07T0620-ledger-and-bill-checks.ts). The seeds write bills and lines set-based in separate
 * statements outside one transaction (a single transaction of a million-member load would queue tens of millions of
 * trigger events): they load with the two triggers off, then check the same rule over every bill in one statement, and
 * fail if any bill breaks it. The triggers are on again whatever happens.
 */
export async function loadWithBillAmountsCheckedAfter(
  exec: (text: string) => Promise<{ rows: unknown[] }>,
  load: () => Promise<void>,
): Promise<void> {
  await exec('alter table bill disable trigger bill_amount_is_sum_of_net; alter table bill disable trigger dues_bill_sums_to_lines; alter table bill_line disable trigger bill_line_net_sums_to_bill');
  try {
    await load();
  } finally {
    await exec('alter table bill enable trigger bill_amount_is_sum_of_net; alter table bill enable trigger dues_bill_sums_to_lines; alter table bill_line enable trigger bill_line_net_sums_to_bill');
  }
  const bad = await exec(`select b.id, b.amount, l.net
      from bill b left join (select bill_id, sum(net) as net from bill_line group by bill_id) l on l.bill_id = b.id
     where l.net is distinct from b.amount limit 1`);
  if (bad.rows.length > 0) {
    throw new Error(`seed: a bill's amount is not the sum of its lines' net amounts: ${JSON.stringify(bad.rows[0])}`);
  }
}
