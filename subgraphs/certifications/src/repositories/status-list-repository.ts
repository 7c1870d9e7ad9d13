import type { TenantScope } from '@academy/platform';

/** What a status list is made of: the revoked indexes in its range and when it last changed. */
export interface StatusListState {
  /** Revoked indexes in the range, ascending. */
  revoked: number[];
  /** The later of its first certificate's issue and its last revocation. */
  changedAt: Date;
}

/** The tenant's certificates as status list entries (certificates.status_list_index). */
export class StatusListRepository {
  constructor(private readonly db: TenantScope) {}

  /** The entries with an index in [from, to]; null when no certificate has one there. One query on (tenant_id, status_list_index). */
  async range(from: number, to: number): Promise<StatusListState | null> {
    const [row] = await this.db.run(
      (tx) => tx.$queryRaw<{ first_issued: Date | null; last_revoked: Date | null; revoked: number[] }[]>`
        SELECT min(issued_at) AS first_issued, max(revoked_at) AS last_revoked,
               coalesce(array_agg(status_list_index ORDER BY status_list_index) FILTER (WHERE status = 'REVOKED'), '{}') AS revoked
        FROM certificates
        WHERE tenant_id = ${this.db.tenantId}::uuid AND status_list_index BETWEEN ${from} AND ${to}`,
    );
    if (!row?.first_issued) return null;
    const changedAt = row.last_revoked && row.last_revoked > row.first_issued ? row.last_revoked : row.first_issued;
    return { revoked: row.revoked, changedAt };
  }
}
