// Prisma CLI configuration (Prisma 7). `prisma generate` needs no database; `prisma migrate deploy`,
// where the schema engine exists, reads DATABASE_URL and applies the same prisma/migrations the
// project's own runner applies (`npm run db:migrate`).
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
