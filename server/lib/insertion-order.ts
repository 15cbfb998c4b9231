/**
 * A number that orders rows by when they were written, for the tables whose rows
 * must list "in the order written" when their `createdAt` are equal (emails queued in
 * the same millisecond; under a test's fake clock, every one). SQLite's `rowid` did
 * this on one engine; PostgreSQL has no insertion order, so the row carries it.
 *
 * The real time in microseconds (not the portal's clock, which tests stop), made
 * strictly increasing within the process: about 1.8 × 10¹⁵ today, exact as a
 * JavaScript number until the year 2255. Rows written by different processes in the
 * same microsecond may tie; concurrent writers have no order to keep anyway.
 */
let last = 0;

export function nextInsertionOrder(): number {
  const now = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  last = Math.max(now, last + 1);
  return last;
}
