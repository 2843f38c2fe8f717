ALTER TABLE "municipalities" ADD COLUMN "office_name" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "office_address" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "office_phone" text;--> statement-breakpoint
ALTER TABLE "municipalities" ADD COLUMN "office_hours" text;