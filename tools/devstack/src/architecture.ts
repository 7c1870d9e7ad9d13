import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The layers of the tree and what may import what (docs/architecture.md):
 *   libraries (packages/*)  import libraries only;
 *   apps (gateway, workers, subgraphs/*) import libraries; the workers also import a subgraph
 *     (the background half of its domain);
 *   tools (tools/*) import anything; only tools and tests import a tool.
 * Always through a workspace's public entry points (its package name, or a subpath its
 * package.json `exports` lists), and only what the workspace's package.json declares: runtime
 * imports in `dependencies`, a test's in `dependencies` or `devDependencies`.
 */
export type Layer = 'library' | 'app' | 'tool';

export interface Workspace {
  name: string;
  dir: string;
  layer: Layer;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  /** What the package's users provide (react for @academy/client): declared for its runtime imports. */
  peerDependencies: Record<string, string>;
  /** Subpaths others may import ('.' is the package name itself). */
  entryPoints: string[];
}

export interface SourceFile {
  workspace: Workspace;
  file: string;
  /** A test (under test/) may use devDependencies and import tools. */
  test: boolean;
  imports: string[];
}

const LAYER_OF_FOLDER: Record<string, Layer> = {
  packages: 'library',
  tools: 'tool',
  subgraphs: 'app',
  gateway: 'app',
  workers: 'app',
  apps: 'app',
};
const BUILTINS = new Set(builtinModules);

export function readWorkspaces(root: string): Workspace[] {
  const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { workspaces: string[] };
  const dirs = rootPackage.workspaces.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? fs
          .readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, pattern.slice(0, -2), entry.name, 'package.json')))
          .map((entry) => path.join(pattern.slice(0, -2), entry.name))
      : [pattern],
  );
  return dirs.map((dir) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      exports?: string | Record<string, string>;
    };
    const layer = LAYER_OF_FOLDER[dir.split('/')[0]!];
    if (!layer) throw new Error(`${dir}: a workspace outside the known layers (${Object.keys(LAYER_OF_FOLDER).join(', ')})`);
    return {
      name: manifest.name,
      dir,
      layer,
      dependencies: manifest.dependencies ?? {},
      devDependencies: manifest.devDependencies ?? {},
      peerDependencies: manifest.peerDependencies ?? {},
      entryPoints: typeof manifest.exports === 'object' ? Object.keys(manifest.exports) : ['.'],
    };
  });
}

const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\brequire(?:\.resolve)?\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

export function readSources(root: string, workspaces: Workspace[]): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (workspace: Workspace, dir: string, test: boolean) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === 'node_modules' || entry.name === 'results' || entry.name === 'field-gateways') continue;
        // Build output, and examples (outside consumers of the package, type-checked by its tests).
        if (entry.name === 'dist' || entry.name === 'examples') continue;
        walk(workspace, full, test || entry.name === 'test');
      } else if (/\.(ts|tsx|js|cjs|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        // A build's configuration (vite.config.ts) runs at build time, like a test: devDependencies are its own.
        const buildConfig = /^vite\.config\.[cm]?[jt]s$/.test(entry.name);
        files.push({
          workspace,
          file: path.relative(root, full),
          test: test || buildConfig,
          imports: [...text.matchAll(IMPORT)].map((match) => match[1]!),
        });
      }
    }
  };
  for (const workspace of workspaces) walk(workspace, path.join(root, workspace.dir), false);
  return files;
}

/** The package an import names (`@scope/name` or `name`), and the subpath after it. */
function packageOf(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const count = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, count).join('/');
  const rest = parts.slice(count).join('/');
  return { name, subpath: rest ? `./${rest}` : '.' };
}

function mayImport(from: SourceFile, target: Workspace): boolean {
  if (from.workspace.layer === 'tool') return true;
  // Tests may use tools; an app's tests may also reach other apps (a library's may not).
  if (from.test) return from.workspace.layer === 'app' || target.layer !== 'app';
  if (target.layer === 'library') return true;
  if (target.layer === 'app') return from.workspace.name === '@academy/workers' && target.dir.startsWith('subgraphs/');
  return false;
}

/** Every breach of the rules above, one line each (empty when the tree keeps them). */
export function architectureViolations(root: string, workspaces: Workspace[], sources: SourceFile[]): string[] {
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const violations: string[] = [];
  for (const source of sources) {
    const { workspace } = source;
    const declared = (name: string) =>
      name in workspace.dependencies || name in workspace.peerDependencies || (source.test && name in workspace.devDependencies);
    for (const specifier of new Set(source.imports)) {
      if (specifier.startsWith('.')) {
        const resolved = path.relative(path.join(root, workspace.dir), path.resolve(path.dirname(path.join(root, source.file)), specifier));
        if (resolved.startsWith('..'))
          violations.push(`${source.file}: reaches outside its workspace (${specifier}); import the other workspace by its package name`);
        continue;
      }
      if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!)) continue;
      const { name, subpath } = packageOf(specifier);
      if (name === workspace.name) {
        // A published package's tests import it as its users do, through its entry points.
        if (source.test && workspace.entryPoints.includes(subpath)) continue;
        violations.push(`${source.file}: imports its own package (${specifier}); use a relative path`);
        continue;
      }
      const target = byName.get(name);
      if (target) {
        if (!mayImport(source, target))
          violations.push(
            `${source.file}: a${workspace.layer === 'app' ? 'n' : ''} ${workspace.layer} imports the ${target.layer} ${name}`,
          );
        if (!target.entryPoints.includes(subpath))
          violations.push(
            `${source.file}: imports ${specifier}, which is not an entry point of ${name} (${target.entryPoints.join(', ')})`,
          );
      }
      if (!declared(name))
        violations.push(
          `${source.file}: imports ${name}, which ${workspace.dir}/package.json does not declare${source.test ? '' : ' in dependencies'}`,
        );
    }
  }
  return [...new Set(violations)].sort();
}

/** Packages whose version range differs between workspaces (and the root): they must agree. */
export function misalignedVersions(root: string, workspaces: Workspace[]): string[] {
  const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const ranges = new Map<string, Map<string, string[]>>();
  const note = (owner: string, deps: Record<string, string>) => {
    for (const [name, range] of Object.entries(deps)) {
      const seen = ranges.get(name) ?? new Map<string, string[]>();
      seen.set(range, [...(seen.get(range) ?? []), owner]);
      ranges.set(name, seen);
    }
  };
  note('package.json', rootPackage.devDependencies ?? {});
  for (const workspace of workspaces) note(`${workspace.dir}/package.json`, { ...workspace.devDependencies, ...workspace.dependencies });
  return [...ranges]
    .filter(([, seen]) => seen.size > 1)
    .map(([name, seen]) => `${name}: ${[...seen].map(([range, owners]) => `${range} in ${owners.join(', ')}`).join('; ')}`)
    .sort();
}

/** Declared dependencies nothing in the workspace imports (tools run by command excepted). */
export function unusedDependencies(workspaces: Workspace[], sources: SourceFile[], runByCommand: ReadonlySet<string>): string[] {
  const unused: string[] = [];
  for (const workspace of workspaces) {
    const imported = new Set(
      sources
        .filter((source) => source.workspace === workspace)
        .flatMap((source) => source.imports.map((specifier) => packageOf(specifier).name)),
    );
    for (const name of [...Object.keys(workspace.dependencies), ...Object.keys(workspace.devDependencies)]) {
      if (!imported.has(name) && !name.startsWith('@types/') && !runByCommand.has(name))
        unused.push(`${workspace.dir}/package.json: declares ${name}, which nothing in it imports`);
    }
  }
  return unused.sort();
}
