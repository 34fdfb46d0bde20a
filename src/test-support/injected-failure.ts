import { sql } from "kysely";
import type { Database } from "../db/database.js";

/**
 * Makes every insert into `table` fail inside the database itself, so a test can prove that a
 * transaction's earlier writes are rolled back. A real failure, not a mock: the engine raises it.
 */
export async function failInsertsInto(database: Database, table: string): Promise<void> {
  if (database.dialect === "sqlite") {
    await sql
      .raw(`create trigger injected_failure before insert on ${table} begin select raise(abort, 'injected failure'); end`)
      .execute(database.kysely);
    return;
  }
  await sql
    .raw(`create function injected_failure() returns trigger as $$ begin raise exception 'injected failure'; end $$ language plpgsql`)
    .execute(database.kysely);
  await sql
    .raw(`create trigger injected_failure before insert on ${table} for each row execute function injected_failure()`)
    .execute(database.kysely);
}
