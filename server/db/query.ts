/**
 * Reading query results the same way on both engines. A Drizzle query awaited answers
 * every row on SQLite and PostgreSQL alike; these take what a caller wants from it.
 */

/** The first row of a result, or undefined when there is none (`.get()` on SQLite alone). */
export function first<T>(rows: readonly T[]): T | undefined {
  return rows[0];
}

/**
 * How many rows an insert, update or delete without `returning()` changed: better-sqlite3
 * reports `changes`, postgres.js a result whose `count` says it.
 */
export function affected(result: { changes: number } | { count: number }): number {
  return 'changes' in result ? result.changes : result.count;
}
