-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN "tokenHash" TEXT;

-- CreateIndex
CREATE INDEX "OutboxMessage_tokenHash_idx" ON "OutboxMessage"("tokenHash");

