-- DropIndex
DROP INDEX "OutboxMessage_recipient_kind_idx";

-- CreateIndex
CREATE INDEX "OutboxMessage_recipient_kind_createdAt_idx" ON "OutboxMessage"("recipient", "kind", "createdAt");

