import type Database from 'better-sqlite3';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The floor of a read: the statements the portal runs for it, as raw prepared
 * better-sqlite3 statements, and JSON.stringify of the rows — nothing else. The
 * same tables in the same order as the app reads them (test/server/bench-floor.test.ts
 * holds the two together), including what authentication reads (the address's
 * recent Server API failures and the store by API user; the store, the session by
 * token hash and the account for a customer). What the floor leaves out is what
 * the app adds: routing, validation, middleware, the ORM's row mapping and the
 * views' shaping. Answers undefined where the app would answer 401 or 404.
 */
export function floorReads(sqlite: Database.Database) {
  const s = {
    failures: sqlite.prepare('select at from rate_limit_hits where bucket = ? and at > ? order by at asc'),
    storeByApiUser: sqlite.prepare('select * from stores where api_user = ?'),
    storeById: sqlite.prepare('select * from stores where id = ?'),
    order: sqlite.prepare('select * from orders where store_id = ? and id = ?'),
    ordersOfAccount: sqlite.prepare(
      'select * from orders where store_id = ? and account_id = ? order by completed_at desc, id desc limit ?',
    ),
    items: sqlite.prepare(
      'select * from order_items where order_id in (select value from json_each(?)) order by position asc',
    ),
    fulfilments: sqlite.prepare(
      'select * from fulfilments where order_id in (select value from json_each(?)) order by position asc',
    ),
    gifts: sqlite.prepare('select * from gift_recipients where order_id in (select value from json_each(?))'),
    invoiceNumbers: sqlite.prepare(
      'select order_id, number from invoices where order_id in (select value from json_each(?)) and revision = 1',
    ),
    session: sqlite.prepare('select * from sessions where token_hash = ?'),
    account: sqlite.prepare('select * from accounts where store_id = ? and id = ?'),
  };
  type Row = Record<string, unknown> & { id: string };

  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const sameHex = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  /** The store whose Server API credentials these are, then the look at the address's recent failures. */
  function apiStore(authorization: string | undefined, ip: string): Row | undefined {
    const decoded = Buffer.from((authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const store = s.storeByApiUser.get(decoded.slice(0, colon)) as (Row & { api_password_hash: string }) | undefined;
    s.failures.all(sha256(`api-auth-ip:${ip}`), Date.now() - 600_000);
    return store && sameHex(sha256(decoded.slice(colon + 1)), store.api_password_hash) ? store : undefined;
  }

  /** Orders with their items, fulfilments, gift and invoice number, one statement per kind of row. */
  function withDetails(orders: Row[]): Row[] {
    if (orders.length === 0) return [];
    const ids = JSON.stringify(orders.map((o) => o.id));
    const items = s.items.all(ids) as Row[];
    const fulfilments = s.fulfilments.all(ids) as Row[];
    const gifts = s.gifts.all(ids) as Row[];
    const numbers = new Map(
      (s.invoiceNumbers.all(ids) as { order_id: string; number: string }[]).map((i) => [i.order_id, i.number]),
    );
    return orders.map((order) => ({
      ...order,
      invoice_number: numbers.get(order.id) ?? null,
      items: items.filter((i) => i.order_id === order.id),
      fulfilments: fulfilments.filter((f) => f.order_id === order.id),
      gift: gifts.find((g) => g.order_id === order.id) ?? null,
    }));
  }

  return {
    /** `GET /api/orders/{id}`. */
    order(authorization: string | undefined, ip: string, orderId: string): string | undefined {
      const store = apiStore(authorization, ip);
      const order = store && (s.order.get(store.id, orderId) as Row | undefined);
      return order ? JSON.stringify(withDetails([order])[0]) : undefined;
    },
    /** `GET /api/orders?accountId=` (the first page of 20). */
    ordersOfAccount(authorization: string | undefined, ip: string, accountId: string): string | undefined {
      const store = apiStore(authorization, ip);
      if (!store) return undefined;
      const rows = s.ordersOfAccount.all(store.id, accountId, 21) as Row[];
      const data = withDetails(rows.slice(0, 20));
      return JSON.stringify({ data, nextCursor: rows.length > 20 ? data.at(-1)!.id : null });
    },
    /** `GET /portal/{store}/me`. */
    me(storeId: string, authorization: string | undefined): string | undefined {
      const store = s.storeById.get(storeId) as Row | undefined;
      const token = (authorization ?? '').replace(/^Bearer /, '');
      const hash = sha256(token);
      const session = s.session.get(hash) as
        (Row & { token_hash: string; store_id: string; account_id: string }) | undefined;
      if (!store || !session || !sameHex(session.token_hash, hash) || session.store_id !== store.id) return undefined;
      const account = s.account.get(store.id, session.account_id) as Row | undefined;
      return account && JSON.stringify(account);
    },
  };
}

export type FloorReads = ReturnType<typeof floorReads>;
