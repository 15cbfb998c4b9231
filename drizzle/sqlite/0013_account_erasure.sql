CREATE TABLE `test_gateway_detached_methods` (
	`token` text PRIMARY KEY NOT NULL,
	`detached_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` ADD `deleted_at` integer;