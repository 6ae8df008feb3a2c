-- AlterTable
ALTER TABLE "Event" ADD COLUMN "respondBy" DATETIME;

