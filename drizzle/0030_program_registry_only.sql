ALTER TABLE "programs" ALTER COLUMN "registry" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" drop column "financing";--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "financing" "program_financing" GENERATED ALWAYS AS (case registry when 'certified' then 'certificate'::program_financing when 'paid' then 'paid'::program_financing else 'free'::program_financing end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "programs" DROP COLUMN "registries";