import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import type pg from 'pg';
import type { Persona } from './generated/prisma/enums';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { PublicError, UpstreamUnavailableError } from '../errors';
import { isUuid } from '../tenancy';
import { SESSION_TENANT_SQL } from './client';
import { ModelTables, type ModelRow } from './rows';

export type Tx = Prisma.TransactionClient;

/** Settings read by the row-level security policies (see prisma/migrations/*_row_level_security). */
const TENANT_SETTING = 'app.tenant_id';
const BYPASS_SETTING = 'app.bypass_rls';
/** The trace a transaction belongs to: outbox rows keep it (column default), so the jobs they cause continue the trace. */
const TRACE_SETTING = 'app.traceparent';

/** The active OpenTelemetry trace context as a traceparent ('' outside a trace). */
function activeTraceparent(): string {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? '';
}

interface Ambient {
  key: string;
  /** The Prisma Client transaction; none in a unit sent through node-postgres (`client`). */
  tx: Tx | undefined;
  /** The connection of a unit of work sent through node-postgres (`Database.unit`). */
  client?: pg.PoolClient;
  open: boolean;
}

/** One statement of a unit of work (`TenantScope.unit`): its rows. */
export type Statement = <Row>(text: string, values?: readonly unknown[]) => Promise<Row[]>;

const statementNames = new Map<string, string>();
/** How many statement texts get a name (the hot reads and writes are a few dozen; more would be generated text). */
const NAMED_STATEMENTS = 1_000;

/**
 * A statement sent through node-postgres as a named prepared statement: each connection parses
 * and plans its text once and then only binds and executes it (PostgreSQL's plan cache), instead
 * of parsing and planning it again every time. The name is the text's hash.
 */
function prepared(text: string, values: readonly unknown[], named: boolean): pg.QueryConfig {
  let name = named ? statementNames.get(text) : undefined;
  if (named && name === undefined && statementNames.size < NAMED_STATEMENTS) {
    name = `academy_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values: values as unknown[] } : { name, text, values: values as unknown[] };
}

/**
 * Statements on the connection of a unit sent through node-postgres, while it is open: after it
 * ended the connection is the pool's again (another request's, another tenant's), so a statement
 * sent late (a branch of a Promise.all that outlived a failed one) is refused, as Prisma Client
 * refuses a closed transaction's.
 */
function statementOn(client: pg.PoolClient, named: boolean, unit: Ambient): Statement {
  return async <Row>(text: string, values: readonly unknown[] = []) => {
    if (!unit.open) throw new Error(`The ${unit.key} unit of work has ended: its statements cannot run any more`);
    return (await client.query(prepared(text, values, named))).rows as Row[];
  };
}

/** A prepared statement a connection cannot run again (a migration changed its result type; the connection lost it). */
const STALE_PREPARED_SQLSTATE = new Set(['0A000', '26000']);

/** Statements in a Prisma Client transaction (a unit joined, or one without the pool). */
function statementOfPrisma(tx: Tx): Statement {
  return <Row>(text: string, values: readonly unknown[] = []) => tx.$queryRawUnsafe<Row[]>(text, ...values);
}

/** The Prisma Client transaction an open unit of work joins; one sent through node-postgres has none. */
function joinable(current: Ambient): Tx {
  if (!current.tx)
    throw new Error(`A Prisma Client unit of work cannot join a ${current.key} one sent through node-postgres (TenantScope.unit)`);
  return current.tx;
}

export interface PlatformAccess {
  /** Who crosses tenants: a user id, or `system:<job>` for background work. */
  actorId: string;
  actorPersona?: Persona;
  /** Why, in words an auditor understands. Stored in audit_logs. */
  reason: string;
  /** The action being performed, e.g. `impact.report.global`. */
  action: string;
  targetType?: string;
  targetId?: string;
}

export interface TransactionOptions {
  timeoutMs?: number;
}

export interface DatabaseOptions {
  /**
   * A streaming replica (DATABASE_READ_URL), as the services' role: `TenantScope.read` sends
   * reads that tolerate lag there.
   */
  replica?: PrismaClient;
  /** A replica that failed: its reads went to the primary, and it is left alone for a while. */
  onReplicaError?: (error: unknown) => void;
  /**
   * The read sessions of the primary (`DatabaseClient.sessions`): `TenantScope.query` runs there
   * without a transaction. Without it, a query is a unit of work like any other.
   */
  sessions?: PrismaClient;
  /**
   * The read sessions' pool itself (`DatabaseClient.sessionPool`): `TenantScope.sql` and
   * `TenantScope.rows` send their one statement there through node-postgres, without Prisma
   * Client. Without it, they run as a read session (or a unit of work) through Prisma Client.
   */
  sessionPool?: pg.Pool;
  /**
   * The primary's pool (`DatabaseClient.pool`, Prisma Client's own): `TenantScope.unit` runs its
   * transaction there through node-postgres. Without it, a unit is a Prisma Client transaction.
   */
  pool?: pg.Pool;
  /**
   * Whether the statements sent through node-postgres (`sql`, `rows`, `unit`) are named prepared
   * statements, planned once per connection (default true; false behind a pooler in transaction
   * mode that does not keep them).
   */
  preparedStatements?: boolean;
}

/** How long reads stay on the primary after the replica failed one. */
const REPLICA_PAUSE_MS = 5_000;

/** Prisma's codes for a server out of reach, a connection lost, or no connection or transaction to be had in time. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** The driver adapter's kinds of the same. */
const UNAVAILABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/**
 * PostgreSQL's: connection exceptions (08), shutdowns and starts (57P01-57P03), a statement
 * cancelled (57014: the read sessions' statement_timeout), too many connections (53300), a
 * standby's query cancelled by a conflict with recovery (40001).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|57014|53300|40001)$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** node-postgres's own errors (no code) for a connection that was lost or never made. */
const UNAVAILABLE_PG_MESSAGES =
  /^(Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Connection terminated( unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect)$/;

/** What an error (or one of its causes) may say: Prisma Client's, its driver adapter's, node-postgres's. */
interface ErrorFacts {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { code?: unknown; driverAdapterError?: { cause?: unknown } };
  cause?: unknown;
  originalError?: unknown;
}

/** Whether `says` holds for the error or one of its causes (`cause`, a GraphQL error's `originalError`, Prisma's driver error). */
function anyCause(error: unknown, says: (facts: ErrorFacts, current: object) => boolean): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth += 1) {
    const facts = current as ErrorFacts;
    if (says(facts, current)) return true;
    current = facts.meta?.driverAdapterError?.cause ?? facts.cause ?? facts.originalError;
  }
  return false;
}

/** Whether the error says the database could not answer (as opposed to the statement failing), looked for in its causes too. */
export function databaseUnavailable(error: unknown): boolean {
  return anyCause(error, (facts, current) => {
    const code = typeof facts.code === 'string' ? facts.code : '';
    if (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code)) return true;
    if (typeof facts.kind === 'string' && UNAVAILABLE_KINDS.has(facts.kind)) return true;
    if (typeof facts.originalCode === 'string' && UNAVAILABLE_SQLSTATE.test(facts.originalCode)) return true;
    return current instanceof Error && !code && UNAVAILABLE_PG_MESSAGES.test(current.message);
  });
}

/**
 * Whether the error is a unique constraint's: Prisma Client's P2002, PostgreSQL's 23505 from
 * node-postgres (`TenantScope.unit`), or the same through Prisma Client's raw statements (a unit
 * that joined a Prisma Client one), looked for in its causes.
 */
export function uniqueViolation(error: unknown): boolean {
  return anyCause(
    error,
    (facts) =>
      facts.code === 'P2002' ||
      facts.code === '23505' ||
      facts.originalCode === '23505' ||
      facts.kind === 'UniqueConstraintViolation' ||
      facts.meta?.code === '23505',
  );
}

/**
 * The only way services reach tenant data. Every unit of work runs in a transaction that first
 * sets `app.tenant_id` transaction-locally (`set_config(..., true)`), so a pooled connection
 * never carries one tenant's setting into another's request; the policies do the rest.
 * Nested calls for the same scope join the surrounding transaction (one unit of work).
 */
/** What a scope sets before its work: in a transaction (`prepare`), or once per read session connection (`prepareSession`). */
export interface ScopeSetup {
  prepare(tx: Tx): Promise<unknown>;
  prepareSession(tx: Tx): Promise<unknown>;
}

export class Database {
  private readonly ambient = new AsyncLocalStorage<Ambient>();
  private replicaPausedUntil = 0;
  /** The models' tables, for reads as one SQL statement (`TenantScope.rows`). */
  readonly tables: ModelTables;

  constructor(
    readonly prisma: PrismaClient,
    private readonly options: DatabaseOptions = {},
  ) {
    this.tables = new ModelTables(prisma);
  }

  /** Whether statements sent through node-postgres are named prepared statements. */
  private get named(): boolean {
    return this.options.preparedStatements !== false;
  }

  /** Whether reads that tolerate lag have a replica to go to. */
  get hasReplica(): boolean {
    return this.options.replica !== undefined;
  }

  /** @internal whether a read that tolerates lag goes to the replica now (there is one, and it is not paused after a failure). */
  get readsOnReplica(): boolean {
    return this.options.replica !== undefined && Date.now() >= this.replicaPausedUntil;
  }

  forTenant(tenantId: string): TenantScope {
    if (!isUuid(tenantId)) throw new Error(`Database.forTenant: "${tenantId}" is not a tenant id`);
    return new TenantScope(this, tenantId);
  }

  /**
   * Cross-tenant work (platform admin, GLOBAL reports, background scans). Explicit and audited:
   * the audit row is written in the same transaction as the work it allows.
   */
  asPlatform<T>(access: PlatformAccess, work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.transaction(
      'platform',
      async (tx) => {
        await tx.auditLog.create({
          data: {
            actorId: access.actorId,
            actorPersona: access.actorPersona ?? null,
            action: access.action,
            reason: access.reason,
            targetType: access.targetType ?? null,
            targetId: access.targetId ?? null,
            metadata: { bypass: true },
          },
        });
        return work(tx);
      },
      options,
      (tx) => tx.$executeRaw`SELECT set_config(${BYPASS_SETTING}, 'on', true), set_config(${TRACE_SETTING}, ${activeTraceparent()}, true)`,
    );
  }

  /**
   * @internal a read that tolerates lag: inside an open unit of work of the same scope it joins
   * it (what the request wrote, it reads); otherwise it runs on the replica, or as a read
   * session of the primary when there is none or the replica failed (then for
   * REPLICA_PAUSE_MS). On the replica its scope is `replica:<key>`, so a write inside it fails
   * instead of reaching a read-only server.
   */
  async readTransaction<T>(key: string, work: (tx: Tx) => Promise<T>, options: TransactionOptions, setup: ScopeSetup): Promise<T> {
    const current = this.ambient.getStore();
    const replica = this.options.replica;
    if (current?.open || !replica || Date.now() < this.replicaPausedUntil) {
      if (current?.open && current.key === `replica:${key}`) return work(joinable(current));
      return this.session(key, work, options, setup);
    }
    try {
      return await this.transaction(`replica:${key}`, work, options, setup.prepare, replica);
    } catch (error) {
      // Only a replica that cannot answer sends the read to the primary: any other failure is the read's own.
      if (!databaseUnavailable(error)) throw error;
      this.replicaPausedUntil = Date.now() + REPLICA_PAUSE_MS;
      this.options.onReplicaError?.(error instanceof UpstreamUnavailableError ? error.cause : error);
      return this.session(key, work, options, setup);
    }
  }

  /**
   * @internal reads without a transaction: inside an open unit of work of the same tenant they
   * join it; otherwise they run as a read session (`DatabaseOptions.sessions`): statements on one
   * read-only connection of the session pool, the first setting the tenant for the session (sent
   * only when that connection has another). Its scope is `session:<key>`, so a unit of work
   * inside it fails instead of writing outside a transaction.
   */
  session<T>(key: string, work: (tx: Tx) => Promise<T>, options: TransactionOptions, setup: ScopeSetup): Promise<T> {
    const current = this.ambient.getStore();
    if (current?.open && [key, `session:${key}`, `replica:${key}`].includes(current.key)) return work(joinable(current));
    if (!this.options.sessions) return this.transaction(key, work, options, setup.prepare);
    return this.transaction(`session:${key}`, work, options, setup.prepareSession, this.options.sessions);
  }

  /**
   * @internal one read statement: inside an open unit of work of the same tenant it joins it;
   * otherwise it goes to a connection of the read sessions' pool through node-postgres (the
   * tenant set for the session first, sent only when that connection has another), without
   * Prisma Client's transaction and query machinery: the hot reads (rows by id) cost a fraction
   * of the CPU. `tenantId` is the scope's; the policies do the rest, as everywhere.
   */
  async sql<Row>(key: string, tenantId: string, text: string, values: readonly unknown[], setup: ScopeSetup): Promise<Row[]> {
    const current = this.ambient.getStore();
    const pool = this.options.sessionPool;
    if (current?.open && current.client && current.key === key)
      return (await current.client.query(prepared(text, values, this.named))).rows as Row[];
    // Inside a unit of work: joined if it is this tenant's, refused (by `transaction`) if another scope's.
    if (current?.open || !pool) return this.session(key, (tx) => tx.$queryRawUnsafe<Row[]>(text, ...values), {}, setup);
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    // A connection lost between two statements emits its error on the client, which the pool
    // listens to only while the client is idle: without a listener it would end the process.
    const lost = (error: Error) => (broken = error);
    try {
      client = await pool.connect();
      client.on('error', lost);
      // As a config object: the pool's instrumentation reads the tenant from it to skip it when the connection has it.
      await client.query({ text: SESSION_TENANT_SQL, values: [tenantId] });
      return (await client.query(prepared(text, values, this.named))).rows as Row[];
    } catch (error) {
      // A connection that failed is not given to the next read.
      broken = error as Error;
      if (databaseUnavailable(error)) throw new UpstreamUnavailableError('The database', error);
      throw error;
    } finally {
      client?.removeListener('error', lost);
      client?.release(broken);
    }
  }

  /**
   * @internal a unit of work sent through node-postgres, without Prisma Client's interactive
   * transaction and query machinery (a fraction of its CPU): a connection of the primary's pool,
   * BEGIN with the scope's settings in one round trip (`settings`: name to value,
   * transaction-local), the work's statements, COMMIT (ROLLBACK when it throws). Inside an open
   * unit of the same scope it joins it (a Prisma Client one: its statements sent through
   * `$queryRawUnsafe`); without the pool it is a Prisma Client transaction (`prepare`).
   */
  async unit<T>(
    key: string,
    settings: Readonly<Record<string, string>>,
    work: (statement: Statement) => Promise<T>,
    options: TransactionOptions,
    prepare: (tx: Tx) => Promise<unknown>,
  ): Promise<T> {
    const current = this.ambient.getStore();
    const pool = this.options.pool;
    if (current?.open && current.client) {
      if (current.key !== key) throw new Error(`A ${key} unit of work cannot run inside a ${current.key} one`);
      return work(statementOn(current.client, this.named, current));
    }
    if (current?.open || !pool) return this.transaction(key, (tx) => work(statementOfPrisma(tx)), options, prepare);
    const ambient: Ambient = { key, tx: undefined, open: true };
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    let begun = false;
    // A connection lost between two statements emits its error on the client (see `sql`).
    const lost = (error: Error) => (broken = error);
    try {
      client = await pool.connect();
      client.on('error', lost);
      const connection = client;
      begun = true;
      // Its time: each statement's, and between them (work that waits on something else holds the transaction's locks).
      const timeout = String(options.timeoutMs ?? 15_000);
      const configured = Object.entries({ ...settings, statement_timeout: timeout, idle_in_transaction_session_timeout: timeout }).map(
        ([name, value]) => `set_config(${connection.escapeLiteral(name)}, ${connection.escapeLiteral(value)}, true)`,
      );
      await client.query(`BEGIN; SELECT ${configured.join(', ')}`);
      ambient.client = client;
      const result = await this.ambient.run(ambient, () => work(statementOn(connection, this.named, ambient)));
      ambient.open = false;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection whose prepared statement went stale is not given to the next unit (it would fail there too).
      if (STALE_PREPARED_SQLSTATE.has((error as { code?: string }).code ?? '')) broken ??= error as Error;
      if (client && begun && !broken) await client.query('ROLLBACK').catch((failed: Error) => (broken = failed));
      if (!(error instanceof PublicError) && databaseUnavailable(error)) {
        broken ??= error as Error;
        throw new UpstreamUnavailableError('The database', error);
      }
      throw error;
    } finally {
      // Callbacks scheduled inside the unit of work keep this store; they must not reuse its connection.
      ambient.open = false;
      client?.removeListener('error', lost);
      client?.release(broken);
    }
  }

  /** @internal whether the caller runs inside an open unit of work (its writes not committed yet). */
  inUnitOfWork(): boolean {
    return this.ambient.getStore()?.open === true;
  }

  /** @internal the transaction behind every scope; `prepare` sets what the policies read. */
  async transaction<T>(
    key: string,
    work: (tx: Tx) => Promise<T>,
    options: TransactionOptions,
    prepare: (tx: Tx) => Promise<unknown>,
    client: PrismaClient = this.prisma,
  ): Promise<T> {
    const current = this.ambient.getStore();
    if (current?.open) {
      if (current.key !== key) throw new Error(`A ${key} unit of work cannot run inside a ${current.key} one`);
      return work(joinable(current));
    }
    const ambient: Ambient = { key, tx: undefined as unknown as Tx, open: true };
    try {
      return await client.$transaction(
        async (tx) => {
          ambient.tx = tx;
          await prepare(tx);
          return this.ambient.run(ambient, () => work(tx));
        },
        { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
      );
    } catch (error) {
      // A database out of reach (restarting, no connection to be had in time) is the contract's
      // UPSTREAM_UNAVAILABLE (try again), not an internal error; the driver's error is its cause.
      if (!(error instanceof PublicError) && databaseUnavailable(error)) throw new UpstreamUnavailableError('The database', error);
      throw error;
    } finally {
      // Callbacks scheduled inside the unit of work keep this store; they must not reuse a closed transaction.
      ambient.open = false;
    }
  }
}

export class TenantScope {
  constructor(
    private readonly database: Database,
    readonly tenantId: string,
  ) {}

  /** Rows by id: what cannot be an id (garbage input) matches nothing instead of failing the query. */
  byIds<T>(ids: readonly string[], query: (tx: Tx, valid: string[]) => Promise<T[]>): Promise<T[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? Promise.resolve([]) : this.query((tx) => query(tx, valid));
  }

  /** Whether this runs inside an open unit of work: what it writes is not committed when `run` returns. */
  inUnitOfWork(): boolean {
    return this.database.inUnitOfWork();
  }

  /** Runs `work` as one transaction with the tenant set; joins an enclosing one of the same tenant. */
  run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.transaction(`tenant:${this.tenantId}`, work, options, this.prepare);
  }

  /**
   * A unit of work of SQL statements sent through node-postgres (`Database.unit`), without Prisma
   * Client (a fraction of its CPU): for the hot writes. One transaction with the tenant set, as
   * `run`; joins an enclosing unit of the same tenant (and a Prisma Client `run` cannot join it).
   * Rows come back as node-postgres gives them: select `to_jsonb(t)` and build them with
   * `Database.tables` to get Prisma Client's objects. `statement_timeout` is `timeoutMs` (15 s).
   */
  unit<T>(work: (statement: Statement) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.unit(
      `tenant:${this.tenantId}`,
      { [TENANT_SETTING]: this.tenantId, [TRACE_SETTING]: activeTraceparent() },
      work,
      options,
      this.prepare,
    );
  }

  /** A model's row selected as `to_jsonb(t)` (by `unit`'s statements, say): the object Prisma Client returns. */
  fromJson<M extends Prisma.ModelName>(model: M, json: Record<string, unknown>): ModelRow<M> {
    return this.database.tables.of(model).fromJson(json);
  }

  /**
   * A read that may lag behind the latest writes by the replica's delay (the catalogue, reports,
   * analytics): on the read replica when there is one, the same policies in force. Inside an
   * open unit of work it joins it; `work` must not write.
   */
  read<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.readTransaction(`tenant:${this.tenantId}`, work, options, this.setup);
  }

  /**
   * One read statement that tolerates lag (see `read`): on the replica when there is one, as
   * `read` sends it; otherwise as `sql`: the same statements on the same read session, without
   * Prisma Client's transaction and query machinery (the learner dashboard's impact request cost
   * the impact subgraph 1.58 ms of CPU through `read`, 0.86 through this; docs/benchmarks.md).
   */
  readSql<Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    if (this.database.readsOnReplica) return this.read((tx) => tx.$queryRawUnsafe<Row[]>(text, ...values));
    return this.sql<Row>(text, values);
  }

  /**
   * Reads of the latest data that need no transaction: one statement, or several that need not
   * see one snapshot (a batch of rows by id, a learner's list). Without the transaction's BEGIN,
   * tenant setting and COMMIT: on a read-only connection that keeps its tenant (a read session,
   * `Database`), the same policies in force. Inside an open unit of work it joins it; `work` must
   * not write (PostgreSQL refuses it).
   */
  query<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.session(`tenant:${this.tenantId}`, work, options, this.setup);
  }

  /**
   * One read statement of the latest data (see `query`), sent through node-postgres on a read
   * session connection without Prisma Client (a fraction of its CPU): for the hot reads. `text`
   * must not write (PostgreSQL refuses it) and should name the tenant's rows
   * (`tenant_id = ...`) for the indexes; the policies keep other tenants' out regardless.
   */
  sql<Row>(text: string, values: readonly unknown[] = []): Promise<Row[]> {
    return this.database.sql<Row>(`tenant:${this.tenantId}`, this.tenantId, text, values, this.setup);
  }

  /**
   * The tenant's rows of a model whose `field` is one of `values` (ids, say; what cannot be an id
   * matches nothing when `field` is a uuid), as one statement (`sql`): the same objects Prisma
   * Client returns, in no particular order unless `orderBy` (fields, as Prisma's `orderBy`).
   */
  async rows<M extends Prisma.ModelName>(
    model: M,
    field: string,
    values: readonly string[],
    options: {
      uuid?: boolean;
      /** Other fields each row must equal (values valid for their columns: a uuid column's checked by the caller). */
      where?: Readonly<Record<string, string>>;
      orderBy?: readonly (readonly [field: string, direction: 'asc' | 'desc'])[];
    } = {},
  ): Promise<ModelRow<M>[]> {
    const wanted = options.uuid === false ? [...new Set(values)] : [...new Set(values.filter(isUuid))];
    if (wanted.length === 0) return [];
    const table = this.database.tables.of(model);
    const order = (options.orderBy ?? []).map(([by, direction]) => `t.${table.column(by)} ${direction === 'desc' ? 'DESC' : 'ASC'}`);
    // The tenant's rows (a model shared by every tenant, the RENEC catalogue, has no tenant column).
    const equal = Object.entries({ ...options.where, ...(table.has('tenantId') ? { tenantId: this.tenantId } : {}) });
    const conditions = [`t.${table.column(field)} = ANY($1)`, ...equal.map(([name], index) => `t.${table.column(name)} = $${index + 2}`)];
    const rows = await this.sql<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM ${table.table} t WHERE ${conditions.join(' AND ')}` +
        (order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''),
      [wanted, ...equal.map(([, value]) => value)],
    );
    return rows.map((row) => table.fromJson(row.row));
  }

  private readonly prepare = (tx: Tx) =>
    tx.$executeRaw`SELECT set_config(${TENANT_SETTING}, ${this.tenantId}, true), set_config(${TRACE_SETTING}, ${activeTraceparent()}, true)`;

  private readonly prepareSession = (tx: Tx) => tx.$executeRawUnsafe(SESSION_TENANT_SQL, this.tenantId);

  private readonly setup: ScopeSetup = { prepare: this.prepare, prepareSession: this.prepareSession };
}
