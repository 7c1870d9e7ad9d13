import type { SubgraphContext } from '../context';

export async function syncStatus({ standards, submissions, circuit }: SubgraphContext) {
  const [lastStandardsSyncAt, standardsCount, pendingSubmissions, failedSubmissions] = await Promise.all([
    standards.lastSuccessfulSyncAt(),
    standards.count(),
    submissions.countByStatus(['PENDING', 'SUBMITTED', 'IN_REVIEW']),
    submissions.countByStatus(['FAILED']),
  ]);
  return { lastStandardsSyncAt, standardsCount, pendingSubmissions, failedSubmissions, circuit: await circuit.state() };
}
