import type { MiddlewareHandler } from 'hono';
import type { Turns } from '../lib/turns';

/** Starts each request on its turn (lib/turns): at once on a server with room, first come first served when saturated. */
export function takeTurns(turns: Turns): MiddlewareHandler {
  return async (_c, next) => {
    const turn = turns.take();
    if (turn) await turn;
    await next();
  };
}
