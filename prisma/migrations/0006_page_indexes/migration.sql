-- DropIndex
DROP INDEX "Event_ownerId_idx";

-- DropIndex
DROP INDEX "EventParty_userId_idx";

-- CreateIndex
CREATE INDEX "Event_ownerId_id_idx" ON "Event"("ownerId", "id");

-- CreateIndex
CREATE INDEX "EventParty_userId_eventId_idx" ON "EventParty"("userId", "eventId");

-- CreateIndex
CREATE INDEX "LogEntry_eventId_occurrence_when_idx" ON "LogEntry"("eventId", "occurrence", "when");

