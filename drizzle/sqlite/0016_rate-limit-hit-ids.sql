PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_rate_limit_hits` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bucket` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_rate_limit_hits`("id", "bucket", "at") SELECT rowid, "bucket", "at" FROM `rate_limit_hits`;--> statement-breakpoint
DROP TABLE `rate_limit_hits`;--> statement-breakpoint
ALTER TABLE `__new_rate_limit_hits` RENAME TO `rate_limit_hits`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `rate_limit_hits_bucket_idx` ON `rate_limit_hits` (`bucket`,`at`);