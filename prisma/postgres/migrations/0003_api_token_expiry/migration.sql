-- AlterTable
-- Keys issued before this migration stay valid for 30 days (the default API_TOKEN_TTL) and
-- until their user's next password change.
ALTER TABLE "ApiToken" ADD COLUMN     "credentialVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "expiresAt" TIMESTAMP(3) NOT NULL DEFAULT (CURRENT_TIMESTAMP + INTERVAL '30 days');
UPDATE "ApiToken" t SET "credentialVersion" = u."credentialVersion" FROM "User" u WHERE u."id" = t."userId";
ALTER TABLE "ApiToken" ALTER COLUMN "expiresAt" DROP DEFAULT;

-- CreateIndex
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

