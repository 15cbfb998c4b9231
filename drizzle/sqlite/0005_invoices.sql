CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`sequence` integer NOT NULL,
	`number` text NOT NULL,
	`revision` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`seller` text,
	`buyer_name` text,
	`buyer_email` text NOT NULL,
	`business_name` text,
	`tax_id` text,
	`address_line1` text,
	`address_line2` text,
	`city` text,
	`state` text,
	`postal_code` text,
	`country` text,
	`is_business` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_order_revision_unique` ON `invoices` (`order_id`,`revision`);--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_store_sequence_revision_unique` ON `invoices` (`store_id`,`sequence`,`revision`);--> statement-breakpoint
CREATE INDEX `invoices_store_order_idx` ON `invoices` (`store_id`,`order_id`);--> statement-breakpoint
DROP INDEX `orders_store_invoice_unique`;--> statement-breakpoint
ALTER TABLE `orders` DROP COLUMN `invoice_number`;--> statement-breakpoint
ALTER TABLE `stores` ADD `seller` text;--> statement-breakpoint
ALTER TABLE `order_items` ADD `tax_rate_ppm` integer;--> statement-breakpoint
ALTER TABLE `order_items` ADD `period_start` integer;--> statement-breakpoint
ALTER TABLE `order_items` ADD `period_end` integer;