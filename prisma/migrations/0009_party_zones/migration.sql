-- Each party's time zone (SPEC §12). Written by hand: Prisma's diff copies the whole Event table
-- to add a column; SQLite adds a NOT NULL column with a constant default in place.
ALTER TABLE "Event" ADD COLUMN "zones" TEXT NOT NULL DEFAULT '{}';
