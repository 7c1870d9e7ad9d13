import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

const run = promisify(execFile);
const PACKAGE = path.resolve(__dirname, '..');
const REPO_ROOT = path.resolve(PACKAGE, '../..');
const TSC = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const EXAMPLE = path.join(PACKAGE, 'examples/react-native');

const tsc = (args: string[]) =>
  run(process.execPath, [TSC, ...args], { cwd: REPO_ROOT }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );

/** Every import of a Node built-in, by the file that makes it (esbuild would otherwise fail or shim). */
function nodeBuiltins(found: string[]): Plugin {
  const names = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  return {
    name: 'node-builtins',
    setup(context) {
      context.onResolve({ filter: /.*/ }, (args) => {
        if (!names.has(args.path) && !args.path.startsWith('node:')) return undefined;
        found.push(`${args.path} (from ${path.relative(REPO_ROOT, args.importer)})`);
        return { path: args.path, external: true };
      });
    },
  };
}

async function bundle(entry: string, options: { conditions?: string[]; contents?: string } = {}) {
  const builtins: string[] = [];
  const result = await build({
    ...(options.contents
      ? { stdin: { contents: options.contents, resolveDir: PACKAGE, loader: 'js' } }
      : { entryPoints: [path.join(PACKAGE, 'dist', entry)] }),
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: options.conditions ?? [],
    // React is the app's (a peer dependency); NODE_ENV is what every bundler defines.
    external: ['react'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [nodeBuiltins(builtins)],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  return { builtins, code, minified: code.length, gzipped: gzipSync(code).length };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe('the published package', () => {
  beforeAll(async () => {
    await rm(path.join(PACKAGE, 'dist'), { recursive: true, force: true });
    const result = await tsc(['-p', path.join(PACKAGE, 'tsconfig.build.json')]);
    expect(result).toEqual({ code: 0, stdout: '' });
  }, 120_000);

  it('builds ES modules with declarations for every entry of its exports map', async () => {
    const manifest = JSON.parse(await readFile(path.join(PACKAGE, 'package.json'), 'utf8')) as {
      type: string;
      exports: Record<string, Record<string, string> | string>;
      files: string[];
      private?: boolean;
    };
    expect({ type: manifest.type, private: manifest.private, files: manifest.files }).toEqual({
      type: 'module',
      private: undefined,
      files: ['dist', 'README.md'],
    });
    for (const targets of Object.values(manifest.exports)) {
      if (typeof targets === 'string') continue;
      for (const [condition, target] of Object.entries(targets)) {
        if (condition === 'source') continue;
        await expect(readFile(path.join(PACKAGE, target), 'utf8')).resolves.toEqual(expect.any(String));
      }
      expect(targets.types).toMatch(/\.d\.ts$/);
      expect(targets.import).toMatch(/^\.\/dist\/.*\.js$/);
    }
    // Node runs the build as it is (ES modules with explicit extensions).
    const imported = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const sdk = await import('@academy/client'); const react = await import('@academy/client/react'); console.log(typeof sdk.createAcademyClient, typeof sdk.MyCertificatesDocument.__meta__.hash, typeof react.AcademyProvider, typeof react.useQuery)",
      ],
      { cwd: PACKAGE },
    );
    expect(imported.stdout).toBe('function string function function\n');
  }, 60_000);

  it.each([
    ['index.js', []],
    ['react.js', []],
    ['index.js', ['react-native']],
    ['react.js', ['react-native']],
  ])(
    'bundles %s for browsers (conditions %j) without a Node built-in or global',
    async (entry, conditions) => {
      const { builtins, code } = await bundle(entry, { conditions });
      expect(builtins).toEqual([]);
      // Node's globals, unguarded (graphql-ws's `typeof global` fallback for a WebSocket is guarded).
      expect(code.match(/.{0,40}(\bprocess\.|\bBuffer\.|__dirname|__filename).{0,40}/g)).toBeNull();
    },
    60_000,
  );

  it('reports the size of the entry: everything it exports, and an app using the client and one document', async () => {
    const whole = await bundle('index.js');
    const react = await bundle('react.js');
    const typical = await bundle('', {
      contents: [
        "import { createAcademyClient, MyCertificatesDocument, describeError } from '@academy/client';",
        "import { AcademyProvider, useQuery } from '@academy/client/react';",
        'console.log(createAcademyClient, MyCertificatesDocument, describeError, AcademyProvider, useQuery);',
      ].join('\n'),
    });
    process.stdout.write(
      [
        'bundle sizes of @academy/client (esbuild, minified / gzipped; react external):',
        `  dist/index.js, every export (every typed document): ${kb(whole.minified)} / ${kb(whole.gzipped)}`,
        `  dist/react.js: ${kb(react.minified)} / ${kb(react.gzipped)}`,
        `  an app importing createAcademyClient, describeError, one document and the hooks: ${kb(typical.minified)} / ${kb(typical.gzipped)}`,
        '',
      ].join('\n'),
    );
    // Unused documents are shaken out (sideEffects: false): the typical app carries a fraction.
    expect(typical.builtins).toEqual([]);
    expect(typical.minified).toBeLessThan(whole.minified / 2);
  }, 60_000);

  it('type-checks a React Native app that imports it under the react-native condition, without DOM or Node types', async () => {
    const result = await tsc(['-p', path.join(EXAMPLE, 'tsconfig.json')]);
    expect(result).toEqual({ code: 0, stdout: '' });
  }, 120_000);

  it('refuses the React Native app when it misuses a typed document (the types reach it)', async () => {
    const copy = await mkdtemp(path.join(PACKAGE, 'examples/.tmp-'));
    try {
      await cp(EXAMPLE, copy, { recursive: true });
      const app = await readFile(path.join(copy, 'App.tsx'), 'utf8');
      await writeFile(path.join(copy, 'App.tsx'), app.replace('certificate.course.title', 'certificate.course.name'));
      const result = await tsc(['-p', path.join(copy, 'tsconfig.json')]);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain("Property 'name' does not exist on type '{ title: string; competencyStandardCode: string | null; }'");
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  }, 120_000);
});
