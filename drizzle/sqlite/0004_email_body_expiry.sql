ALTER TABLE `emails` ADD `body_expires_at` integer;--> statement-breakpoint
CREATE INDEX `emails_body_expires_idx` ON `emails` (`body_expires_at`);