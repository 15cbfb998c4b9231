ALTER TABLE `stores` ADD `download_signing_secret` text;--> statement-breakpoint
ALTER TABLE `fulfilments` ADD `delivery` text;--> statement-breakpoint
ALTER TABLE `fulfilments` ADD `revoked_at` integer;