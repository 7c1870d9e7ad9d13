import { BadUserInputError, ConflictError, NotFoundError, type ConocerSubmission, type Viewer } from '@academy/platform';
import type { CourseFactsRepository } from '../repositories/course-facts-repository';
import type { SubmissionRepository } from '../repositories/submission-repository';
import { missingCriteriaIssues } from '../portfolio/portfolio-view';
import { evaluateCompliance, type ComplianceReport } from '@academy/renec';

/** A learner asks CONOCER to certify their certificate; the platform checks it may go, then queues it. */
export class CertificationRequests {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly facts: CourseFactsRepository,
  ) {}

  async compliance(courseId: string): Promise<ComplianceReport> {
    const facts = await this.facts.courseFacts(courseId);
    if (!facts) throw new NotFoundError('Course');
    return evaluateCompliance(facts);
  }

  /** FAILED -> PENDING for another round of delivery (staff); CONFLICT in any other status. */
  async retry(submission: ConocerSubmission | null, viewer: Viewer): Promise<ConocerSubmission> {
    if (!submission) throw new NotFoundError('Submission');
    const retried =
      submission.status === 'FAILED' ? await this.submissions.retry(submission, { id: viewer.userId, persona: viewer.persona }) : null;
    if (!retried) throw new ConflictError(`Only FAILED submissions are retried (this one is ${submission.status})`);
    return retried;
  }

  /** Idempotent: a certificate has at most one submission; asking again returns it. */
  async request(certificateId: string, viewer: Viewer): Promise<ConocerSubmission> {
    const certificate = await this.facts.certificate(certificateId);
    if (!certificate) throw new NotFoundError('Certificate');
    const existing = (await this.submissions.ofCertificates([certificate.id])).get(certificate.id);
    if (existing) return existing;
    if (certificate.status !== 'ISSUED')
      throw new BadUserInputError('A revoked certificate cannot go to CONOCER', [
        { field: 'certificateId', message: 'certificate is revoked' },
      ]);
    const report = await this.compliance(certificate.courseId);
    if (!report.compliant) {
      throw new BadUserInputError(
        'The course does not meet the Solarpunk compliance rules for CONOCER certification',
        report.issues.map((issue) => ({ field: issue.rule, message: issue.message })),
      );
    }
    const evaluation = await this.facts.evaluation(certificate.enrollmentId, certificate.courseId);
    if (evaluation.criteria > 0 && evaluation.judgement !== 'COMPETENT') {
      throw new BadUserInputError("CONOCER certification needs an evaluator's COMPETENT judgement of your evaluation portfolio", [
        { field: 'judgement', message: evaluation.judgement ? `is ${evaluation.judgement}` : 'missing' },
        ...missingCriteriaIssues(evaluation.missing),
      ]);
    }
    if (!certificate.learner.curp) {
      throw new BadUserInputError('CONOCER needs your CURP: add it with updateMyProfile first', [{ field: 'curp', message: 'missing' }]);
    }
    try {
      return await this.submissions.request({
        certificateId: certificate.id,
        standardCode: certificate.course.competencyStandardCode!,
        requestedById: viewer.userId,
      });
    } catch (error) {
      // Two requests at once: the other one created it.
      if ((error as { code?: string }).code === 'P2002')
        return (await this.submissions.ofCertificates([certificate.id])).get(certificate.id)!;
      throw error;
    }
  }
}
