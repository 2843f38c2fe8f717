CREATE TABLE "mail_deliveries" (
	"job_id" uuid PRIMARY KEY NOT NULL,
	"handed_over_at" timestamp with time zone DEFAULT now() NOT NULL
);
