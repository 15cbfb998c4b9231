CREATE TABLE `subscription_reminders` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`subscription_id` text NOT NULL,
	`kind` text NOT NULL,
	`charge_at` integer NOT NULL,
	`days_before` integer NOT NULL,
	`payment_method_id` text,
	`event_id` text NOT NULL,
	`email_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subscription_id`) REFERENCES `subscriptions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`payment_method_id`) REFERENCES `payment_methods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscription_reminders_charge_unique` ON `subscription_reminders` (`subscription_id`,`kind`,`charge_at`);