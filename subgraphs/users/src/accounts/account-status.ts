import { assignsPersona, isSelf } from '@academy/permissions';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type TenantScope,
  type User,
  type Viewer,
} from '@academy/platform';
import type { UserRepository } from '../repositories/user-repository';
import type { Sessions } from '../sessions/sessions';
import type { AccessChanges } from './access-changes';

/** Suspending and reactivating accounts, and changing personas: audited, and announced to every gateway at once. */
export class AccountStatus {
  constructor(
    private readonly db: TenantScope,
    private readonly users: UserRepository,
    private readonly changes: AccessChanges,
    private readonly sessions: Sessions,
  ) {}

  async suspend(id: string, reasonInput: string, by: Viewer): Promise<User> {
    const reason = reasonInput.trim();
    if (reason.length === 0 || reason.length > 500)
      throw new BadUserInputError('Say why (1 to 500 characters)', [{ field: 'reason', message: 'must be 1 to 500 characters' }]);
    const target = await this.target(id, by);
    if (isSelf(by, target.id)) throw new ForbiddenError('Nobody suspends their own account');
    if (target.status === 'SUSPENDED') return target;
    const suspended = await this.change(target, 'SUSPENDED', 'user.suspended', reason, by);
    // Their refresh tokens stop too: reactivated, they sign in again.
    await this.sessions.endAll(target.id, 'SUSPENDED');
    return suspended;
  }

  async reactivate(id: string, by: Viewer): Promise<User> {
    const target = await this.target(id, by);
    if (target.status === 'ACTIVE') return target;
    if (target.status !== 'SUSPENDED')
      throw new ConflictError('Only a suspended account is reactivated; an invited one accepts its invitation');
    return this.change(target, 'ACTIVE', 'user.reactivated', null, by);
  }

  async setPersona(id: string, persona: User['persona'], by: Viewer): Promise<User> {
    const target = await this.target(id, by);
    if (target.persona === persona) return target;
    const user = await this.db.run(async (tx) => {
      const changed = await this.users.setPersona(id, persona);
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: by.userId,
          actorPersona: by.persona,
          action: 'user.persona-changed',
          targetType: 'User',
          targetId: id,
          metadata: { from: target.persona, to: persona },
        },
      });
      return changed;
    });
    await this.changes.announce(this.db.tenantId, id);
    return user;
  }

  /** The account, when the viewer may change it: a platform admin's only by a platform admin. */
  private async target(id: string, by: Viewer): Promise<User> {
    const [target] = await this.users.findByIds([id]);
    if (!target) throw new NotFoundError('User');
    if (!assignsPersona(by, { from: target.persona, to: target.persona }))
      throw new ForbiddenError("Only a platform admin changes a platform admin's account");
    return target;
  }

  private async change(target: User, status: 'ACTIVE' | 'SUSPENDED', action: string, reason: string | null, by: Viewer): Promise<User> {
    const user = await this.db.run(async (tx) => {
      const changed = await this.users.setStatus(target.id, status);
      await tx.auditLog.create({
        data: {
          tenantId: this.db.tenantId,
          actorId: by.userId,
          actorPersona: by.persona,
          action,
          targetType: 'User',
          targetId: target.id,
          reason,
          metadata: { from: target.status, to: status },
        },
      });
      return changed;
    });
    await this.changes.announce(this.db.tenantId, target.id);
    return user;
  }
}
