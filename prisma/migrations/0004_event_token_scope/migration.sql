-- AlterTable (an added column with a constant default: SQLite needs no table rebuild for it)
ALTER TABLE "EventToken" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'full';
