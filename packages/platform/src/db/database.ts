import { AsyncLocalStorage } from 'node:async_hooks';
import { context, propagation } from '@opentelemetry/api';
import type { Persona } from './generated/prisma/enums';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { isUuid } from '../tenancy';

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
  tx: Tx;
  open: boolean;
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

/**
 * The only way services reach tenant data. Every unit of work runs in a transaction that first
 * sets `app.tenant_id` transaction-locally (`set_config(..., true)`), so a pooled connection
 * never carries one tenant's setting into another's request; the policies do the rest.
 * Nested calls for the same scope join the surrounding transaction (one unit of work).
 */
export class Database {
  private readonly ambient = new AsyncLocalStorage<Ambient>();

  constructor(readonly prisma: PrismaClient) {}

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

  /** @internal the transaction behind every scope; `prepare` sets what the policies read. */
  async transaction<T>(
    key: string,
    work: (tx: Tx) => Promise<T>,
    options: TransactionOptions,
    prepare: (tx: Tx) => Promise<unknown>,
  ): Promise<T> {
    const current = this.ambient.getStore();
    if (current?.open) {
      if (current.key !== key) throw new Error(`A ${key} unit of work cannot run inside a ${current.key} one`);
      return work(current.tx);
    }
    const ambient: Ambient = { key, tx: undefined as unknown as Tx, open: true };
    try {
      return await this.prisma.$transaction(
        async (tx) => {
          ambient.tx = tx;
          await prepare(tx);
          return this.ambient.run(ambient, () => work(tx));
        },
        { timeout: options.timeoutMs ?? 15_000, maxWait: 10_000 },
      );
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
    return valid.length === 0 ? Promise.resolve([]) : this.run((tx) => query(tx, valid));
  }

  /** Runs `work` as one transaction with the tenant set; joins an enclosing one of the same tenant. */
  run<T>(work: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.database.transaction(
      `tenant:${this.tenantId}`,
      work,
      options,
      (tx) =>
        tx.$executeRaw`SELECT set_config(${TENANT_SETTING}, ${this.tenantId}, true), set_config(${TRACE_SETTING}, ${activeTraceparent()}, true)`,
    );
  }
}
