ALTER TABLE "subscription_charges" ALTER COLUMN "attempt" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "emails" ADD COLUMN "insertion_order" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "test_gateway_refunds" ADD COLUMN "insertion_order" bigint DEFAULT 0 NOT NULL;