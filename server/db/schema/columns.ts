import { integer, text } from 'drizzle-orm/sqlite-core';

/** A UTC instant stored as epoch milliseconds. */
export const timestamp = () => integer({ mode: 'timestamp_ms' });

/** A boolean stored as 0/1. */
export const bool = () => integer({ mode: 'boolean' });

/** The owning store of a row: every table has one and every query filters on it. */
export const storeRef = () => text().notNull();
