import { randomUUID } from 'node:crypto';
import { renderDc3Pdf } from '@academy/documents';
import type { ObjectStorage } from '@academy/storage';
import { BadUserInputError, ConflictError, NotFoundError, type Dc3, type TenantRef, type Viewer } from '@academy/platform';
import type { Dc3Input } from '../generated/resolvers-types';
import type { Dc3Repository } from '../repositories/dc3-repository';
import { dc3Details } from './dc3-input';
import { knownFacts } from './dc3-facts';

const PDF = 'application/pdf';

/** The STPS DC-3 of completed enrollments: issued (and re-issued) by the tenant's admins, with its PDF in object storage. */
export class Dc3Issuer {
  constructor(
    private readonly dc3s: Dc3Repository,
    private readonly storage: ObjectStorage,
    private readonly tenant: TenantRef,
  ) {}

  /**
   * Issues the enrollment's DC-3, or re-issues the one it has (same id, today's facts, the new
   * input, a new PDF). The PDF is stored before the row points at it, so a row never names a
   * missing file (a failed write leaves at most an unreferenced object).
   */
  async issue(enrollmentId: string, input: Dc3Input, viewer: Viewer): Promise<Dc3> {
    const facts = await this.dc3s.facts(enrollmentId);
    if (!facts) throw new NotFoundError('Enrollment');
    if (facts.enrollment.status !== 'COMPLETED')
      throw new ConflictError(`A DC-3 is issued for a completed enrollment; this one is ${facts.enrollment.status}`);
    const { details, issues: inputIssues } = dc3Details(input);
    const known = knownFacts(facts);
    const issues = [...inputIssues, ...known.issues];
    if (issues.length > 0 || !known.facts) throw new BadUserInputError('The DC-3 cannot be issued yet', issues);

    const { timeZone, ...printed } = known.facts;
    const id = facts.existingId ?? randomUUID();
    const issuedAt = new Date();
    const pdf = await renderDc3Pdf({ ...printed, ...details, issuedAt, timeZone });
    const pdfStorageKey = `${this.tenant.id}/dc3/${id}-${issuedAt.getTime()}.pdf`;
    await this.storage.write(pdfStorageKey, pdf, PDF);
    return this.dc3s.save(
      {
        id,
        enrollmentId,
        learnerId: facts.enrollment.learnerId,
        courseId: facts.enrollment.courseId,
        ...printed,
        ...details,
        startedOn: new Date(`${printed.startedOn}T00:00:00Z`),
        finishedOn: new Date(`${printed.finishedOn}T00:00:00Z`),
        pdfStorageKey,
        issuedById: viewer.userId,
        issuedAt,
      },
      { persona: viewer.persona },
    );
  }

  /** A short-lived download URL of the DC-3's PDF, saved as "DC-3 <worker> <course>.pdf". */
  pdfUrl(dc3: Dc3): Promise<string> {
    // Every issue stores its PDF before the row names it; a row without one was not written here.
    if (!dc3.pdfStorageKey) throw new NotFoundError('DC-3 PDF');
    return this.storage.presignDownload(dc3.pdfStorageKey, { fileName: `DC-3 ${dc3.workerName} ${dc3.courseTitle}.pdf`, contentType: PDF });
  }
}

/** A DATE column as YYYY-MM-DD. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
