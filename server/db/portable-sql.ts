import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { isPostgres } from './engine';

/**
 * SQL that the two engines spell differently, in one place: each function takes the
 * handle the query is built on and writes its engine's spelling. Everything else the
 * services write is the SQL both engines share.
 */

/**
 * `column IN (the strings of a JSON array)`, the array given as one parameter (a JSON
 * string): one prepared statement serves any number of ids. SQLite: `json_each`;
 * PostgreSQL: `jsonb_array_elements_text`.
 */
export function inJsonArray(
  db: object,
  column: SQLiteColumn,
  array: SQL.Aliased | SQL | ReturnType<typeof sql.placeholder>,
): SQL {
  return isPostgres(db)
    ? sql`${column} in (select jsonb_array_elements_text(${array}::jsonb))`
    : sql`${column} in (select value from json_each(${array}))`;
}
