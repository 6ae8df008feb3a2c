-- CreateTable
CREATE TABLE "Draft" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "steps" TEXT NOT NULL DEFAULT '[]'
);

-- CreateIndex
CREATE UNIQUE INDEX "Draft_tokenHash_key" ON "Draft"("tokenHash");

-- CreateIndex
CREATE INDEX "Draft_sender_createdAt_idx" ON "Draft"("sender", "createdAt");

