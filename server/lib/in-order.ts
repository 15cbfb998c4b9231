/**
 * Maps over items one at a time, each step awaited before the next begins: the
 * asynchronous `items.map(run)` for work on one transaction, whose statements run in
 * order on one connection (and whose later steps may depend on what earlier ones wrote).
 */
export async function mapInOrder<T, R>(items: Iterable<T>, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let index = 0;
  for (const item of items) results.push(await run(item, index++));
  return results;
}
