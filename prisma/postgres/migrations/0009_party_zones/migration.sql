-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "zones" TEXT NOT NULL DEFAULT '{}';

