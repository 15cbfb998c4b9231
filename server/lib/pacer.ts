/**
 * Spaces out calls to at most `perSecond` a second (evenly, one every
 * `1000 / perSecond` ms), across every caller that shares the pacer. Real time:
 * it protects a processor's rate limit. Infinity or 0 paces nothing.
 */
export interface Pacer {
  /** Resolves when the caller may make its next call. */
  take(): Promise<void>;
}

export function createPacer(perSecond: number | undefined, now: () => number = () => performance.now()): Pacer {
  if (!perSecond || !Number.isFinite(perSecond)) return { take: async () => {} };
  const interval = 1000 / perSecond;
  let next = 0;
  return {
    take() {
      const at = Math.max(now(), next);
      next = at + interval;
      const wait = at - now();
      return wait <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wait));
    },
  };
}
