// Prisma CLI config for the embedded SQLite database: the JS schema engine over a driver
// adapter, so the CLI never downloads a native engine (these machines cannot reach it).
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

const url = process.env.CALNDRO_PRISMA_URL ?? 'file:./data/calndro.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  async adapter() {
    return new PrismaBetterSQLite3({ url });
  },
});
