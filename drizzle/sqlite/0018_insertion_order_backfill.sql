-- Rows written before insertion_order existed keep their order: SQLite's rowid was it.
UPDATE `emails` SET `insertion_order` = rowid;--> statement-breakpoint
UPDATE `test_gateway_refunds` SET `insertion_order` = rowid;
