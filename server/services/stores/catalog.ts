import { first } from '../../db/query';
import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { products } from '../../db/schema';
import type { Deps } from '../../deps';
import { notFound, problemSaying } from '../../lib/errors';
import { newId } from '../../lib/ids';
import type { ProductCreateInput, ProductUpdateInput, ProductView } from '../../schemas/catalog';
import type { ProductRow } from '../../db/schema';

export async function createProduct(deps: Deps, storeId: string, input: ProductCreateInput): Promise<ProductRow> {
  return await deps.db.transaction(async (tx) => {
    if (await findProduct(tx, storeId, input.key)) {
      throw problemSaying('product_exists', `A product with key "${input.key}" already exists.`);
    }
    const now = deps.clock.now();
    const row: ProductRow = {
      id: newId('prod'),
      storeId,
      key: input.key,
      name: input.name,
      description: input.description ?? null,
      kind: input.kind,
      prices: input.prices,
      interval: input.kind === 'subscription' ? (input.interval ?? null) : null,
      intervalCount: input.kind === 'subscription' ? input.intervalCount : 1,
      family: input.family ?? null,
      sortOrder: input.sortOrder ?? 0,
      hidden: input.hidden ?? false,
      switchableTo: input.switchableTo ?? null,
      createdAt: now,
      updatedAt: now,
    };
    await tx.insert(products).values(row);
    return row;
  });
}

export async function updateProduct(
  deps: Deps,
  storeId: string,
  productId: string,
  input: ProductUpdateInput,
): Promise<ProductRow> {
  return await deps.db.transaction(async (tx) => {
    const current = await getProduct(tx, storeId, productId);
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<ProductRow>;
    const next = { ...current, ...changes, updatedAt: deps.clock.now() };
    await tx
      .update(products)
      .set({ ...changes, updatedAt: next.updatedAt })
      .where(and(eq(products.storeId, storeId), eq(products.id, current.id)));
    return next;
  });
}

/** A product by id or key. */
export async function findProduct(db: DbOrTx, storeId: string, idOrKey: string): Promise<ProductRow | undefined> {
  return first(
    await db
      .select()
      .from(products)
      .where(and(eq(products.storeId, storeId), or(eq(products.id, idOrKey), eq(products.key, idOrKey)))),
  );
}

export async function getProduct(db: DbOrTx, storeId: string, idOrKey: string): Promise<ProductRow> {
  const row = await findProduct(db, storeId, idOrKey);
  if (!row) throw notFound('Product', { product: idOrKey });
  return row;
}

/** The store's catalog, by family then sort order. */
export async function listProducts(
  db: DbOrTx,
  storeId: string,
  filter: { family?: string } = {},
): Promise<ProductRow[]> {
  return await db
    .select()
    .from(products)
    .where(and(eq(products.storeId, storeId), filter.family ? eq(products.family, filter.family) : undefined))
    // Products without a family first, on both engines (PostgreSQL would sort NULL last).
    .orderBy(sql`${products.family} asc nulls first`, asc(products.sortOrder), asc(products.key));
}

export function toProductView(row: ProductRow): ProductView {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    kind: row.kind,
    prices: row.prices,
    interval: row.interval ?? null,
    intervalCount: row.intervalCount,
    family: row.family,
    sortOrder: row.sortOrder,
    hidden: row.hidden,
    switchableTo: row.switchableTo,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
