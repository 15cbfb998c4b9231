import { bigint, boolean, customType, text } from 'drizzle-orm/pg-core';

/**
 * A UTC instant stored as epoch milliseconds in a `bigint`, read and written as a
 * `Date`: the same value SQLite stores (`integer({ mode: 'timestamp_ms' })`), so raw
 * SQL arithmetic on timestamps (`next_charge_at - 86400000`), comparisons and
 * ordering, and a copy between the engines, give the same answers on both.
 */
export const timestamp = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  // Both drivers return int8 as a string (it may exceed 2^53); epoch milliseconds do not.
  fromDriver: (value) => new Date(Number(value)),
});

/** A boolean (SQLite stores 0/1 and reads it back as a boolean). */
export const bool = () => boolean();

/**
 * An amount of money in integer minor units. SQLite's integers are 64-bit and
 * PostgreSQL's `integer` is not (2^31 minor units is only about 1,300 USD in
 * Indonesian rupiah cents): a `bigint`, read as a JavaScript number, exact up to 2^53.
 */
export const money = () => bigint({ mode: 'number' });

/** Bytes, read as a Buffer (SQLite's `blob({ mode: 'buffer' })`). */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/** The owning store of a row: every table has one and every query filters on it. */
export const storeRef = () => text().notNull();
