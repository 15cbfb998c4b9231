CREATE TABLE `email_attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`email_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`document` text,
	`size` integer,
	`content` blob,
	FOREIGN KEY (`email_id`) REFERENCES `emails`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `email_attachments_email_idx` ON `email_attachments` (`email_id`,`position`);--> statement-breakpoint
CREATE TABLE `test_gateway_refunds` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`refund_id` text NOT NULL,
	`charge_id` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`failure_code` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `test_gateway_refunds_charge_idx` ON `test_gateway_refunds` (`charge_id`);--> statement-breakpoint
CREATE TABLE `credit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`refund_id` text NOT NULL,
	`order_id` text NOT NULL,
	`invoice_id` text,
	`sequence` integer NOT NULL,
	`number` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`refund_id`) REFERENCES `refunds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`invoice_id`) REFERENCES `invoices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_store_sequence_unique` ON `credit_notes` (`store_id`,`sequence`);--> statement-breakpoint
CREATE UNIQUE INDEX `credit_notes_refund_unique` ON `credit_notes` (`refund_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_order_idx` ON `credit_notes` (`order_id`);--> statement-breakpoint
CREATE TABLE `refund_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`refund_id` text NOT NULL,
	`order_item_id` text NOT NULL,
	`quantity` integer NOT NULL,
	`total` integer NOT NULL,
	`tax` integer NOT NULL,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`refund_id`) REFERENCES `refunds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_item_id`) REFERENCES `order_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refund_lines_refund_idx` ON `refund_lines` (`refund_id`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`store_id` text NOT NULL,
	`order_id` text NOT NULL,
	`account_id` text NOT NULL,
	`currency` text NOT NULL,
	`total` integer NOT NULL,
	`tax` integer NOT NULL,
	`reason` text,
	`external` integer NOT NULL,
	`origin` text DEFAULT 'api' NOT NULL,
	`status` text NOT NULL,
	`gateway_charge_id` text,
	`gateway_key` text NOT NULL,
	`gateway_refund_id` text,
	`failure_code` text,
	`failure_message` text,
	`request_key` text,
	`request_hash` text,
	`revoke_fulfilment` integer NOT NULL,
	`end_subscription` integer NOT NULL,
	`created_at` integer NOT NULL,
	`completed_at` integer,
	FOREIGN KEY (`store_id`) REFERENCES `stores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `refunds_order_idx` ON `refunds` (`order_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_gateway_key_unique` ON `refunds` (`gateway_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_gateway_refund_unique` ON `refunds` (`gateway_refund_id`);--> statement-breakpoint
CREATE INDEX `refunds_status_idx` ON `refunds` (`status`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_request_key_unique` ON `refunds` (`store_id`,`order_id`,`request_key`);--> statement-breakpoint
ALTER TABLE `stores` ADD `last_credit_note_number` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `subscription_charges` ADD `refund_status` text;--> statement-breakpoint
ALTER TABLE `subscription_charges` ADD `gateway_refund_id` text;