/** The tables a statement reads from (`from "x"` and joins, quoted or not), joined by `+`; '' for none. */
export const tablesOf = (sql: string) =>
  [...sql.matchAll(/\b(?:from|join) "?(\w+)"?/gi)]
    .map((m) => m[1])
    .filter((table) => table !== 'json_each')
    .join('+');
