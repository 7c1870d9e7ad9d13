import { readFile } from 'node:fs/promises';
import { firstCodeLine, readMigrations, splitStatements, MIGRATIONS_DIR } from '../src';

describe('splitting migration scripts into statements', () => {
  it('splits at top-level semicolons only', () => {
    const script = [
      '-- a comment; with a semicolon',
      "CREATE TABLE a (x text DEFAULT 'it''s; fine');",
      '/* block; /* nested; */ comment */',
      'DO $$ BEGIN PERFORM 1; PERFORM 2; END $$;',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      'SELECT "odd;name" FROM a;',
      "SELECT E'back\\'slash;' ;",
      '-- trailing comment only',
    ].join('\n');
    const statements = splitStatements(script).map((s) => s.text.replace(/\s+/g, ' ').trim());
    expect(statements).toEqual([
      "-- a comment; with a semicolon CREATE TABLE a (x text DEFAULT 'it''s; fine')",
      '/* block; /* nested; */ comment */ DO $$ BEGIN PERFORM 1; PERFORM 2; END $$',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$',
      'SELECT "odd;name" FROM a',
      "SELECT E'back\\'slash;'",
    ]);
    expect(splitStatements(script).map((s) => firstCodeLine(script, s))).toEqual([2, 4, 5, 6, 7]);
  });

  it('loses nothing of the project migrations but separators and blank pieces', async () => {
    for (const migration of await readMigrations(MIGRATIONS_DIR)) {
      const joined = splitStatements(migration.sql)
        .map((s) => s.text)
        .join(';');
      const normalize = (sql: string) =>
        sql
          .replace(/--[^\n]*/g, '')
          .replace(/[\s;]+/g, ' ')
          .trim();
      expect(normalize(joined)).toBe(normalize(await readFile(migration.file, 'utf8')));
    }
  });
});
