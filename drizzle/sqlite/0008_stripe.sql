CREATE TABLE `gateway_events` (
	`id` text PRIMARY KEY NOT NULL,
	`gateway` text NOT NULL,
	`type` text NOT NULL,
	`outcome` text NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `processor_customer_id` text;--> statement-breakpoint
ALTER TABLE `payment_methods` ADD `processor_customer_id` text;--> statement-breakpoint
CREATE INDEX `payment_methods_token_idx` ON `payment_methods` (`processor_token`);