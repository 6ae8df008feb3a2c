-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ApiToken" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "keyHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "credentialVersion" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Keys issued before this migration stay valid for 30 days (the default API_TOKEN_TTL) and
-- until their user's next password change.
INSERT INTO "new_ApiToken" ("createdAt", "id", "keyHash", "userId", "credentialVersion", "expiresAt")
SELECT t."createdAt", t."id", t."keyHash", t."userId", u."credentialVersion", strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now', '+30 days')
FROM "ApiToken" t JOIN "User" u ON u."id" = t."userId";
DROP TABLE "ApiToken";
ALTER TABLE "new_ApiToken" RENAME TO "ApiToken";
CREATE UNIQUE INDEX "ApiToken_keyHash_key" ON "ApiToken"("keyHash");
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

