import type { TenantScope } from '@academy/platform';
import type { NotificationFacts } from '../inbox/messages';

/**
 * What notifications say about the records an event names (a course's title, a certificate's
 * code, a status change's reason), read in the event's tenant. Read-only.
 */
export class FactsRepository {
  constructor(private readonly db: TenantScope) {}

  async course(courseId: string): Promise<NotificationFacts> {
    const course = await this.db.query((tx) =>
      tx.course.findFirst({ where: { tenantId: this.db.tenantId, id: courseId }, select: { title: true } }),
    );
    return { courseTitle: course?.title ?? '' };
  }

  async certificate(certificateId: string): Promise<NotificationFacts & { revoked: boolean }> {
    const certificate = await this.db.query((tx) =>
      tx.certificate.findFirst({
        where: { tenantId: this.db.tenantId, id: certificateId },
        select: { verificationCode: true, status: true, course: { select: { title: true } } },
      }),
    );
    return {
      courseTitle: certificate?.course.title ?? '',
      verificationCode: certificate?.verificationCode ?? '',
      revoked: certificate?.status === 'REVOKED',
    };
  }

  async statusChange(changeId: string): Promise<Pick<NotificationFacts, 'reason' | 'folio'>> {
    const change = await this.db.query((tx) =>
      tx.conocerStatusChange.findFirst({
        where: { tenantId: this.db.tenantId, id: changeId },
        select: { reason: true, submission: { select: { folio: true } } },
      }),
    );
    return { reason: change?.reason ?? null, folio: change?.submission.folio ?? null };
  }

  async tenantName(): Promise<string> {
    const tenant = await this.db.query((tx) => tx.tenant.findFirst({ where: { id: this.db.tenantId }, select: { name: true } }));
    return tenant?.name ?? '';
  }
}
