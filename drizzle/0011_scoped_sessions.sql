ALTER TABLE `portal_tokens` ADD `scope` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `capabilities` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `landing_route` text;