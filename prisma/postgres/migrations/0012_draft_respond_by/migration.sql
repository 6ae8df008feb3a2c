-- AlterTable
ALTER TABLE "Draft" ADD COLUMN     "respondBy" TIMESTAMP(3);

