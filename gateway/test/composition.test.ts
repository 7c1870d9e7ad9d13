import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeSupergraph } from '../src';
import { startSupergraph, SUPERGRAPH_FILE, until } from '@academy/testing';

const ROOT = path.resolve(__dirname, '../..');

describe('composition', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'academy-compose-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('has supergraph.graphql composed from the subgraphs supergraph.yaml lists (run `npm run compose` when this fails)', async () => {
    const result = await composeSupergraph(path.join(ROOT, 'supergraph.yaml'));
    expect(result.ok).toBe(true);
    expect(result.ok && result.supergraphSdl).toBe(await readFile(SUPERGRAPH_FILE, 'utf8'));
  });

  it('fails with the composition errors when subgraphs disagree', async () => {
    const rogue = path.join(dir, 'rogue.graphql');
    await writeFile(
      rogue,
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])\ntype Course @key(fields: "id") { id: ID! title: Int! @shareable }\ntype Query { rogue: Course }\n',
    );
    const config = (await readFile(path.join(ROOT, 'supergraph.yaml'), 'utf8')).replace(/\.\/subgraphs/g, `${ROOT}/subgraphs`);
    await writeFile(
      path.join(dir, 'supergraph.yaml'),
      `${config}  rogue:\n    routing_url: http://127.0.0.1:4999/graphql\n    schema:\n      file: ${rogue}\n`,
    );
    const result = await composeSupergraph(path.join(dir, 'supergraph.yaml'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toMatch(
      /FIELD_TYPE_MISMATCH: Type of field "Course.title" is incompatible across subgraphs/,
    );
  });

  it('reloads the supergraph file while the gateway runs', async () => {
    const file = path.join(dir, 'supergraph.graphql');
    await copyFile(SUPERGRAPH_FILE, file);
    const supergraph = await startSupergraph({ supergraphFile: file, captureLogs: true });
    try {
      const query = '{ competencyStandard(code: "EC0217.01") { code level } }';
      expect((await supergraph.request(query, { tenant: 'demo' })).body).toEqual({
        data: { competencyStandard: { code: 'EC0217.01', level: 3 } },
      });
      // A supergraph whose CompetencyStandard lacks `level` (as if the conocer subgraph had dropped it).
      const original = await readFile(file, 'utf8');
      await writeFile(file, original.replace(/\n {2}"""1\.\.5"""\n {2}level: Int!\n/, '\n'));
      const body = await until(
        async () => (await supergraph.request(query, { tenant: 'demo' })).body,
        (answer) => answer.errors !== undefined,
        { timeoutMs: 10_000, everyMs: 250 },
      );
      expect(body).toEqual({
        errors: [
          {
            message: 'Cannot query field "level" on type "CompetencyStandard".',
            locations: [{ line: 1, column: 48 }],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      // A broken file is refused; the last good supergraph stays.
      await writeFile(file, 'this is not a supergraph');
      const refused = (line: Record<string, unknown>) => line.msg === 'supergraph change refused; keeping the previous one';
      expect(
        await until(
          () => supergraph.logs.filter(refused).length,
          (count) => count > 0,
          { timeoutMs: 10_000 },
        ),
      ).toBeGreaterThan(0);
      expect((await supergraph.request('{ competencyStandard(code: "EC0217.01") { code } }', { tenant: 'demo' })).body).toEqual({
        data: { competencyStandard: { code: 'EC0217.01' } },
      });
    } finally {
      await supergraph.close();
    }
  }, 30_000);
});
