import { statementKind } from '../src/service-metrics';

/** How `academy_database_statements_total` counts a statement (the bench's and the tests' SQL counts). */
describe('statementKind', () => {
  it('counts a statement by what it does: a WITH by its first write, a unit of work opened with its settings as transaction', () => {
    const kinds = [
      'SELECT * FROM courses',
      'WITH recent AS (SELECT 1) SELECT * FROM recent',
      'WITH completed AS (INSERT INTO lesson_completions (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING) UPDATE enrollments SET last_activity_at = $4 WHERE id = $2',
      'WITH gone AS (DELETE FROM sessions WHERE id = $1 RETURNING id) SELECT count(*) FROM gone',
      'WITH moved AS (UPDATE orders SET status = $1 RETURNING id) SELECT id FROM moved',
      'WITH moved AS (UPDATE ONLY orders SET status = $1 RETURNING id) SELECT id FROM moved',
      'WITH moved AS (UPDATE orders AS o SET status = $1 RETURNING o.id) SELECT id FROM moved',
      'WITH moved AS (UPDATE ONLY orders o SET status = $1 RETURNING o.id) SELECT id FROM moved',
      "BEGIN; SELECT set_config('app.tenant_id', '00000000-0000-0000-0000-000000000000', true)",
      "SELECT set_config('app.tenant_id', $1, false)",
      'COMMIT',
      'INSERT INTO outbox_events (tenant_id) VALUES ($1)',
      'VACUUM',
    ].map(statementKind);
    expect(kinds).toEqual([
      'select',
      'select',
      'insert',
      'delete',
      'update',
      'update',
      'update',
      'update',
      'transaction',
      'transaction',
      'transaction',
      'insert',
      'other',
    ]);
  });
});
