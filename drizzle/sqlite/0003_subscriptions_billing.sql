CREATE TABLE `payment_setups` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`account_id` text NOT NULL,
	`gateway` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`subscription_ids` text DEFAULT '[]' NOT NULL,
	`make_default` integer DEFAULT false NOT NULL,
	`payment_method_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_method_id`) REFERENCES `payment_methods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `payment_setups_account_idx` ON `payment_setups` (`account_id`);--> statement-breakpoint
CREATE TABLE `plan_change_quotes` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`account_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`subscription_version` integer NOT NULL,
	`product_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`kind` text NOT NULL,
	`currency` text NOT NULL,
	`charge_amount` integer NOT NULL,
	`charge_tax` integer NOT NULL,
	`charge_total` integer NOT NULL,
	`new_unit_price` integer NOT NULL,
	`new_recurring_total` integer NOT NULL,
	`effective_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `plan_change_quotes_subscription_idx` ON `plan_change_quotes` (`subscription_id`);--> statement-breakpoint
CREATE TABLE `subscription_charges` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`kind` text NOT NULL,
	`period_index` integer NOT NULL,
	`attempt` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`payment_method_id` text,
	`currency` text NOT NULL,
	`amount` integer NOT NULL,
	`tax` integer NOT NULL,
	`total` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`gateway_charge_id` text,
	`failure_code` text,
	`failure_message` text,
	`order_id` text,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_method_id`) REFERENCES `payment_methods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_charges_key_unique` ON `subscription_charges` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_charges_period_unique` ON `subscription_charges` (`subscription_id`,`kind`,`period_index`,`attempt`);--> statement-breakpoint
CREATE INDEX `subscription_charges_pending_idx` ON `subscription_charges` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `test_gateway_charges` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`charge_id` text NOT NULL,
	`token` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`decline_code` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `scheduled_product_id` text REFERENCES products(id);--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `scheduled_quantity` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `scheduled_unit_price` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `pause_starts_at` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `pause_resumes_at` integer;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `failed_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `locked_until` integer;