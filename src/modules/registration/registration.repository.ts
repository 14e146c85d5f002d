import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, Registration, RegistrationTable } from '../../db/database.js';

/** Queries on the registration table; the use cases in registration.ts decide, these only read and write. */
export async function insertRegistration(trx: Transaction<Database>, row: Insertable<RegistrationTable>): Promise<void> {
  await trx.insertInto('registration').values(row).execute();
}

export async function findRegistration(db: Kysely<Database>, id: string): Promise<Registration | undefined> {
  return db.selectFrom('registration').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row for the rest of the transaction: verifications and resubmits of one registration run one at a time. */
export async function lockRegistration(trx: Transaction<Database>, id: string): Promise<Registration | undefined> {
  return trx.selectFrom('registration').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateRegistration(db: Kysely<Database>, id: string, patch: Updateable<RegistrationTable>): Promise<void> {
  await db.updateTable('registration').set(patch).where('id', '=', id).execute();
}
