-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "version" INTEGER NOT NULL DEFAULT 0,
    "parties" TEXT NOT NULL,
    "slots" TEXT NOT NULL,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "inviteSequence" INTEGER NOT NULL DEFAULT 0,
    "invitedAt" DATETIME,
    "respondBy" DATETIME,
    "followUp" TEXT NOT NULL DEFAULT '{}',
    "followUpAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Event_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Event" ("answers", "createdAt", "id", "inviteSequence", "invitedAt", "ownerId", "parties", "respondBy", "slots", "status", "title", "updatedAt", "version") SELECT "answers", "createdAt", "id", "inviteSequence", "invitedAt", "ownerId", "parties", "respondBy", "slots", "status", "title", "updatedAt", "version" FROM "Event";
DROP TABLE "Event";
ALTER TABLE "new_Event" RENAME TO "Event";
CREATE INDEX "Event_ownerId_id_idx" ON "Event"("ownerId", "id");
CREATE INDEX "Event_followUpAt_idx" ON "Event"("followUpAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

