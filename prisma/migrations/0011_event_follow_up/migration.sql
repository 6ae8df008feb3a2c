-- Follow-up (SPEC §11): reminders and the summary per event. Written by hand as ADD COLUMN
-- (Prisma's diff copies the whole Event table on SQLite for a NOT NULL column with a default).
ALTER TABLE "Event" ADD COLUMN "followUp" TEXT NOT NULL DEFAULT '{}';
ALTER TABLE "Event" ADD COLUMN "followUpAt" DATETIME;

-- CreateIndex
CREATE INDEX "Event_followUpAt_idx" ON "Event"("followUpAt");
