import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'graphql';
import { REPO_ROOT } from '../src/environment';

/** Every subgraph has the shape docs/new-subgraph.md describes, so a reader finds the same parts in each. */
const REQUIRED = [
  'package.json',
  'tsconfig.json',
  'schema.graphql',
  ...['index', 'main', 'subgraph', 'environment', 'context', 'models', 'permissions'].map((name) => `src/${name}.ts`),
  'src/resolvers/index.ts',
];
const NOT_DOMAIN = new Set(['resolvers', 'repositories', 'generated']);

async function shapeOf(name: string) {
  const dir = path.join(REPO_ROOT, 'subgraphs', name);
  const exists = (file: string) =>
    stat(path.join(dir, file)).then(
      () => true,
      () => false,
    );
  const schema = parse(await readFile(path.join(dir, 'schema.graphql'), 'utf8'));
  const types = new Set(
    schema.definitions.flatMap((definition) => ('name' in definition && definition.name ? [definition.name.value] : [])),
  );
  const resolverFiles = (await readdir(path.join(dir, 'src/resolvers'))).filter((file) => file !== 'index.ts');
  const resolverIndex = await readFile(path.join(dir, 'src/resolvers/index.ts'), 'utf8');
  const tests = (await readdir(path.join(dir, 'test')).catch(() => [] as string[])).filter((file) => file.endsWith('.test.ts'));
  const testText = (await Promise.all(tests.map((file) => readFile(path.join(dir, 'test', file), 'utf8')))).join('\n');
  const srcDirs = (await readdir(path.join(dir, 'src'), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  return {
    missing: (await Promise.all(REQUIRED.map(async (file) => ((await exists(file)) ? null : file)))).filter(Boolean),
    repositories:
      (await readdir(path.join(dir, 'src/repositories')).catch(() => [] as string[])).filter((file) => file.endsWith('.ts')).length > 0,
    domainFolders: srcDirs.filter((folder) => !NOT_DOMAIN.has(folder)).length > 0,
    // One file per GraphQL type, exporting that type's resolvers under its name, assembled by the index.
    resolverFilesNotOneType: (
      await Promise.all(
        resolverFiles.map(async (file) => {
          const type = file.replace(/\.ts$/, '');
          const text = await readFile(path.join(dir, 'src/resolvers', file), 'utf8');
          const exported = [...text.matchAll(/^export const (\w+)/gm)].map((match) => match[1]);
          return types.has(type) && exported.length === 1 && exported[0] === type && resolverIndex.includes(`from './${type}'`)
            ? null
            : file;
        }),
      )
    ).filter(Boolean),
    // Its own tests: the gateway boundary, rule coverage, entities.
    ownTests:
      tests.length > 0 &&
      [`startSubgraph('${name}')`, '.boundary(', '.ruleCoverage()', '_entities'].every((needle) => testText.includes(needle)),
  };
}

describe('every subgraph has the same shape', () => {
  it.each(['users', 'courses', 'certifications', 'conocer', 'impact', 'notifications', 'media', 'commerce'])('%s', async (name) => {
    expect({ name, ...(await shapeOf(name)) }).toEqual({
      name,
      missing: [],
      repositories: true,
      domainFolders: true,
      resolverFilesNotOneType: [],
      ownTests: true,
    });
  });

  it('and is every subgraph there is, each wired into composition, codegen, npm start and the test harness', async () => {
    const subgraphs = (await readdir(path.join(REPO_ROOT, 'subgraphs'))).sort();
    expect(subgraphs).toEqual(['certifications', 'commerce', 'conocer', 'courses', 'impact', 'media', 'notifications', 'users']);
    const wiring = await Promise.all(
      ['supergraph.yaml', 'codegen.yml', 'tools/devstack/src/supergraph-services.ts', 'tools/testing/src/subgraphs.ts'].map((file) =>
        readFile(path.join(REPO_ROOT, file), 'utf8'),
      ),
    );
    const unwired = subgraphs.flatMap((name) =>
      ['supergraph.yaml', 'codegen.yml', 'devstack', 'testing']
        .filter((_, index) => !wiring[index]!.includes(`subgraphs/${name}/`) && !wiring[index]!.includes(`'${name}'`))
        .map((where) => `${name}: ${where}`),
    );
    expect(unwired).toEqual([]);
  });
});
