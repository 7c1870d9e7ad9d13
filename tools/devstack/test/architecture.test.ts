import {
  architectureViolations,
  misalignedVersions,
  readSources,
  readWorkspaces,
  unusedDependencies,
  type SourceFile,
} from '../src/architecture';
import { REPO_ROOT } from '../src/environment';

/** The layers of docs/architecture.md, kept by the tree (and broken on purpose, to see the check bite). */
describe('architecture', () => {
  const workspaces = readWorkspaces(REPO_ROOT);
  const sources = readSources(REPO_ROOT, workspaces);
  const workspace = (name: string) => workspaces.find((candidate) => candidate.name === name)!;

  it('sorts every workspace into a layer', () => {
    const layers = Object.fromEntries(
      ['library', 'app', 'tool'].map((layer) => [
        layer,
        workspaces
          .filter((w) => w.layer === layer)
          .map((w) => w.dir)
          .sort(),
      ]),
    );
    expect(layers.app).toEqual([
      'apps/web',
      'gateway',
      'subgraphs/certifications',
      'subgraphs/commerce',
      'subgraphs/conocer',
      'subgraphs/courses',
      'subgraphs/impact',
      'subgraphs/media',
      'subgraphs/notifications',
      'subgraphs/users',
      'workers',
    ]);
    expect(layers.library!.every((dir) => dir.startsWith('packages/'))).toBe(true);
    expect(layers.tool!.every((dir) => dir.startsWith('tools/'))).toBe(true);
  });

  it('is kept by the tree: layers, entry points, declared and aligned dependencies', () => {
    expect(architectureViolations(REPO_ROOT, workspaces, sources)).toEqual([]);
    expect(misalignedVersions(REPO_ROOT, workspaces)).toEqual([]);
    expect(unusedDependencies(workspaces, sources, new Set())).toEqual([]);
  });

  it('fails a library that imports an app or a tool, a deep import, an undeclared package, an app that imports a tool', () => {
    const file = (name: string, imports: string[], test = false): SourceFile => ({
      workspace: workspace(name),
      file: `${workspace(name).dir}/src/probe.ts`,
      test,
      imports,
    });
    expect(
      architectureViolations(REPO_ROOT, workspaces, [
        file('@academy/platform', ['@academy/subgraph-courses', '@academy/testing', '@academy/gateway/src/gateway', 'left-pad']),
        file('@academy/subgraph-users', ['@academy/devstack', '../../../gateway/src/gateway']),
        file('@academy/workers', ['@academy/subgraph-conocer']),
      ]),
    ).toEqual([
      'packages/platform/src/probe.ts: a library imports the app @academy/gateway',
      'packages/platform/src/probe.ts: a library imports the app @academy/subgraph-courses',
      'packages/platform/src/probe.ts: a library imports the tool @academy/testing',
      'packages/platform/src/probe.ts: imports @academy/gateway, which packages/platform/package.json does not declare in dependencies',
      'packages/platform/src/probe.ts: imports @academy/gateway/src/gateway, which is not an entry point of @academy/gateway (., ./node-options)',
      'packages/platform/src/probe.ts: imports @academy/subgraph-courses, which packages/platform/package.json does not declare in dependencies',
      'packages/platform/src/probe.ts: imports @academy/testing, which packages/platform/package.json does not declare in dependencies',
      'packages/platform/src/probe.ts: imports left-pad, which packages/platform/package.json does not declare in dependencies',
      'subgraphs/users/src/probe.ts: an app imports the tool @academy/devstack',
      'subgraphs/users/src/probe.ts: imports @academy/devstack, which subgraphs/users/package.json does not declare in dependencies',
      'subgraphs/users/src/probe.ts: reaches outside its workspace (../../../gateway/src/gateway); import the other workspace by its package name',
    ]);
  });
});
