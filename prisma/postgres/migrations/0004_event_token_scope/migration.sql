-- AlterTable
ALTER TABLE "EventToken" ADD COLUMN     "scope" TEXT NOT NULL DEFAULT 'full';

