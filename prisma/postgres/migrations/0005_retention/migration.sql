-- AlterTable
ALTER TABLE "InboundMessage" ADD COLUMN     "reducedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),

    CONSTRAINT "ScheduledJob_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "ApiToken_expiresAt_idx" ON "ApiToken"("expiresAt");

-- CreateIndex
CREATE INDEX "EventToken_expiresAt_idx" ON "EventToken"("expiresAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_sentAt_idx" ON "OutboxMessage"("status", "sentAt");

-- CreateIndex
CREATE INDEX "InboundMessage_reducedAt_createdAt_idx" ON "InboundMessage"("reducedAt", "createdAt");

