import {
  BadUserInputError,
  ConflictError,
  hashPassword,
  isUuid,
  NotFoundError,
  type InputIssue,
  type Page,
  type Tenant,
  type TenantStatus,
  type TenantTier,
  type Viewer,
} from '@academy/platform';
import { emailIssues, nameIssues, normalizeEmail } from '../auth/auth-service';
import { writeInvitation } from '../accounts/account-links';
import type { AccessChanges } from '../accounts/access-changes';
import { newOneTimeToken } from '../accounts/one-time-tokens';
import type { CountedTenant, PlatformTenantRepository } from '../repositories/platform-tenant-repository';

/** 3 to 40 of a-z, 0-9 and inner hyphens: it becomes <slug>.<base domain>. */
const SLUG = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

/** Names that are the platform's own (hosts, paths, words people would be misled by). */
export const RESERVED_SLUGS = new Set([
  'www',
  'api',
  'admin',
  'administrator',
  'app',
  'apps',
  'auth',
  'login',
  'logout',
  'signup',
  'account',
  'accounts',
  'static',
  'assets',
  'cdn',
  'media',
  'files',
  'uploads',
  'mail',
  'email',
  'smtp',
  'imap',
  'pop',
  'ftp',
  'docs',
  'help',
  'support',
  'status',
  'blog',
  'billing',
  'pay',
  'payments',
  'checkout',
  'dashboard',
  'graphql',
  'health',
  'metrics',
  'platform',
  'academy',
  'madfam',
  'conocer',
  'stps',
  'sep',
  'gob',
  'root',
  'system',
  'internal',
  'test',
  'staging',
  'dev',
  'demo-admin',
  'security',
  'legal',
  'privacy',
  'terms',
]);

export interface CreateTenantInput {
  slug: string;
  name: string;
  tier: TenantTier;
  adminEmail: string;
  adminName: string;
}

/**
 * The platform admin's tenants: listing them with their account counts, creating one (its
 * first admin invited by email in the same transaction), suspending and reactivating. Every
 * step is an audited platform unit of work; a status change is announced to every gateway.
 */
export class TenantAdministration {
  constructor(
    private readonly tenants: PlatformTenantRepository,
    private readonly changes: AccessChanges,
  ) {}

  list(args: { first?: number | null; after?: string | null; status?: TenantStatus | null }, by: Viewer): Promise<Page<CountedTenant>> {
    return this.tenants.page(args, {
      actorId: by.userId,
      actorPersona: by.persona,
      action: 'tenant.listed',
      reason: 'Platform administration',
    });
  }

  /** Accounts of a tenant other than the request's. */
  userCount(id: string, by: Viewer): Promise<number> {
    return this.tenants.userCount(id, {
      actorId: by.userId,
      actorPersona: by.persona,
      action: 'tenant.users-counted',
      reason: 'Platform administration',
      targetType: 'Tenant',
      targetId: id,
    });
  }

  async create(input: CreateTenantInput, by: Viewer, now = new Date()): Promise<Tenant> {
    const slug = input.slug.trim().toLowerCase();
    const name = input.name.trim();
    const adminEmail = normalizeEmail(input.adminEmail);
    const adminName = input.adminName.trim();
    const issues: InputIssue[] = [
      ...slugIssues(slug),
      ...nameIssues(name),
      ...emailIssues(adminEmail, 'adminEmail'),
      ...nameIssues(adminName, 'adminName'),
    ];
    if (issues.length > 0) throw new BadUserInputError('Invalid tenant', issues);
    // The first admin's password is theirs to set with the invitation: a random one until then.
    const passwordHash = await hashPassword(newOneTimeToken().token);
    try {
      return await this.tenants.create(
        { slug, name, tier: input.tier },
        { actorId: by.userId, actorPersona: by.persona, action: 'tenant.created', reason: `Created ${slug}`, targetType: 'Tenant' },
        async (tx, tenant) => {
          const admin = await tx.user.create({
            data: { tenantId: tenant.id, email: adminEmail, name: adminName, persona: 'TENANT_ADMIN', status: 'INVITED', passwordHash },
          });
          await writeInvitation(tx, tenant.id, admin.id, null, now);
          return tenant;
        },
      );
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw new ConflictError(`The slug "${slug}" is taken`);
      throw error;
    }
  }

  async suspend(id: string, reasonInput: string, by: Viewer): Promise<Tenant> {
    const reason = reasonInput.trim();
    if (reason.length === 0 || reason.length > 500)
      throw new BadUserInputError('Say why (1 to 500 characters)', [{ field: 'reason', message: 'must be 1 to 500 characters' }]);
    return this.setStatus(id, 'SUSPENDED', 'tenant.suspended', reason, by);
  }

  reactivate(id: string, by: Viewer): Promise<Tenant> {
    return this.setStatus(id, 'ACTIVE', 'tenant.reactivated', 'Reactivated', by);
  }

  private async setStatus(id: string, status: TenantStatus, action: string, reason: string, by: Viewer): Promise<Tenant> {
    if (!isUuid(id)) throw new NotFoundError('Tenant');
    const access = { actorId: by.userId, actorPersona: by.persona, action, reason, targetType: 'Tenant', targetId: id };
    const result = await this.tenants.setStatus(id, status, access);
    if (!result) throw new NotFoundError('Tenant');
    if (result.changed) await this.changes.tenantChanged(result.tenant.slug);
    return result.tenant;
  }
}

export function slugIssues(slug: string): InputIssue[] {
  if (!SLUG.test(slug) || slug.includes('--')) return [{ field: 'slug', message: 'must be 3 to 40 of a-z, 0-9 and single inner hyphens' }];
  if (RESERVED_SLUGS.has(slug)) return [{ field: 'slug', message: 'is reserved' }];
  return [];
}
