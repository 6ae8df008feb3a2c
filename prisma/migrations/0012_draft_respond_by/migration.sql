-- AlterTable
ALTER TABLE "Draft" ADD COLUMN "respondBy" DATETIME;

