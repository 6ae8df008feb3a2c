-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "followUp" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "followUpAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Event_followUpAt_idx" ON "Event"("followUpAt");

