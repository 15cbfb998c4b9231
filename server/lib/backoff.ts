/**
 * The delay before the next attempt once `attempts` attempts have failed: the
 * schedule's entry for that attempt, varied by up to `jitter` (a fraction) either
 * way so that failures do not retry in bursts. Undefined when the schedule is
 * exhausted and the work should be given up.
 */
export function backoffDelayMs(
  schedule: readonly number[],
  attempts: number,
  jitter: number,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[attempts - 1];
  if (attempts < 1 || base === undefined) return undefined;
  return Math.round(base * (1 + (random() * 2 - 1) * jitter));
}
