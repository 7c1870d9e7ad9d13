// Prisma 6.19's CLI computes migration SQL offline: `prisma migrate diff` between two schema
// files runs in its WASM schema engine when the config selects `engine: "js"` with a driver
// adapter (Prisma 7's CLI would need the native schema-engine binary, which cannot be
// downloaded here). The adapter only opens a connection; the diff itself reads no database.
import { defineConfig } from 'prisma6/config';
import { PrismaPg } from 'prisma6-adapter-pg';

export default defineConfig({
  engine: 'js',
  experimental: { adapter: true },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 100 });
  },
});
