CREATE INDEX "users_phone_idx" ON "users" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "children_birth_date_idx" ON "children" USING btree ("birth_date");--> statement-breakpoint
CREATE INDEX "children_status_created_idx" ON "children" USING btree ("data_status","created_at");