-- AlterTable
ALTER TABLE "EventToken" ADD COLUMN "messageId" TEXT;

-- Each token learns the mail that carried it, found once through the index dropped below
-- (a reply's numbers refer to that mail's list; an invite's rsvp token has no such mail).
UPDATE "EventToken" SET "messageId" = (
  SELECT o."messageId" FROM "OutboxMessage" o WHERE o."tokenHash" = "EventToken"."hash" ORDER BY o."id" LIMIT 1
);

-- DropIndex
DROP INDEX "OutboxMessage_tokenHash_idx";
