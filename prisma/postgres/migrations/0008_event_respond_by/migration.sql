-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "respondBy" TIMESTAMP(3);

