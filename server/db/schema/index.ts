export * from './stores';
export * from './accounts';
export * from './catalog';
export * from './orders';
export * from './payment-methods';
export * from './subscriptions';
export * from './webhooks';
export * from './idempotency';
