DROP INDEX `subscriptions_due_idx`;--> statement-breakpoint
CREATE INDEX `subscriptions_due_idx` ON `subscriptions` (`next_charge_at`,`id`);