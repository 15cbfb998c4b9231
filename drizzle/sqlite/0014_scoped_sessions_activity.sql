CREATE TABLE `account_activity` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`store_id` text NOT NULL,
	`account_id` text NOT NULL,
	`at` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`method` text,
	`browser` text,
	`os` text,
	`subject_id` text,
	`details` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `account_activity_id_unique` ON `account_activity` (`id`);--> statement-breakpoint
CREATE INDEX `account_activity_account_idx` ON `account_activity` (`store_id`,`account_id`,`at`,`seq`);--> statement-breakpoint
ALTER TABLE `portal_tokens` ADD `scope` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `capabilities` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `landing_route` text;--> statement-breakpoint
ALTER TABLE `subscription_charges` ADD `requested_by` text;