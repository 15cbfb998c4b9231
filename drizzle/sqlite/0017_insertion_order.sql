ALTER TABLE `emails` ADD `insertion_order` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `test_gateway_refunds` ADD `insertion_order` integer DEFAULT 0 NOT NULL;