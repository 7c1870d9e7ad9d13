import type { CircuitReporter } from '../context';
import type { StandardRepository } from '../repositories/standard-repository';
import type { SubmissionRepository } from '../repositories/submission-repository';

/** How delivery to CONOCER stands: the last standards sync, submissions under way and failed, the breaker. */
export async function syncStatus({
  standards,
  submissions,
  circuit,
}: {
  standards: StandardRepository;
  submissions: SubmissionRepository;
  circuit: CircuitReporter;
}) {
  const [lastStandardsSyncAt, standardsCount, pendingSubmissions, failedSubmissions] = await Promise.all([
    standards.lastSuccessfulSyncAt(),
    standards.count(),
    submissions.countByStatus(['PENDING', 'SUBMITTED', 'IN_REVIEW']),
    submissions.countByStatus(['FAILED']),
  ]);
  return { lastStandardsSyncAt, standardsCount, pendingSubmissions, failedSubmissions, circuit: await circuit.state() };
}
