-- CreateTable
CREATE TABLE "Draft" (
    "id" SERIAL NOT NULL,
    "sender" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "parties" TEXT NOT NULL,
    "slots" TEXT NOT NULL,
    "unreadable" TEXT NOT NULL DEFAULT '[]',
    "zone" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "tokenHash" TEXT NOT NULL,
    "eventId" INTEGER,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "steps" TEXT NOT NULL DEFAULT '[]',

    CONSTRAINT "Draft_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Draft_tokenHash_key" ON "Draft"("tokenHash");

-- CreateIndex
CREATE INDEX "Draft_sender_createdAt_idx" ON "Draft"("sender", "createdAt");

