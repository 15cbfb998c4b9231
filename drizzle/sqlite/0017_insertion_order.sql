ALTER TABLE `emails` ADD `insertion_order` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `test_gateway_refunds` ADD `insertion_order` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `emails` SET `insertion_order` = rowid;--> statement-breakpoint
UPDATE `test_gateway_refunds` SET `insertion_order` = rowid;
