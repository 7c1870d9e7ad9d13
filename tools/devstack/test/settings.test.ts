import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../src/environment';

/** The environment modules of everything people run and configure (the bench and the test harness are given theirs). */
const MODULES = [
  'packages/platform/src/service-environment.ts',
  'gateway/src/environment.ts',
  'workers/src/environment.ts',
  ...['users', 'courses', 'certifications', 'conocer', 'impact', 'notifications', 'media', 'commerce'].map(
    (name) => `subgraphs/${name}/src/environment.ts`,
  ),
  'packages/storage/src/environment.ts',
  'subgraphs/commerce/src/payments/payment-settings.ts',
  'tools/devstack/src/environment.ts',
  'tools/migrator/src/environment.ts',
  'tools/seed/src/environment.ts',
  'tools/conocer-sandbox/src/environment.ts',
  'tools/payment-sandbox/src/environment.ts',
];

describe('.env.example', () => {
  it('lists every setting a service or command reads, and nothing else', async () => {
    const read = async (file: string, pattern: RegExp) =>
      [...(await readFile(path.join(REPO_ROOT, file), 'utf8')).matchAll(pattern)].map((match) => match[1]!);
    const parsed = new Set((await Promise.all(MODULES.map((file) => read(file, /^\s+([A-Z][A-Z0-9_]+):/gm)))).flat());
    const listed = new Set(await read('.env.example', /^#?\s?([A-Z][A-Z0-9_]+)=/gm));
    expect({
      notListed: [...parsed].filter((key) => !listed.has(key)).sort(),
      readByNobody: [...listed].filter((key) => !parsed.has(key)).sort(),
    }).toEqual({ notListed: [], readByNobody: [] });
  });
});
