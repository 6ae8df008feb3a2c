// Prisma CLI config for PostgreSQL. `migrate deploy/dev` fail here on an upstream bug
// (prisma/orm#27403), so migrations are generated with `migrate diff` and applied by
// src/db/migrate.ts; this config serves `generate`, `migrate diff` and `db execute`.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

const url = process.env.CALNDRO_PRISMA_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  async adapter() {
    return new PrismaPg({ connectionString: url });
  },
});
