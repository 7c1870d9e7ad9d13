import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from '@academy/graphql-http';
import { exportsReports } from '@academy/permissions';
import type { GatewayContext } from '../gateway-context';
import { dataOf, exportContext, sendCsv, type ExecuteOperation } from './csv-export';

export type { ExecuteOperation } from './csv-export';

export const IMPACT_REPORT_EXPORT = 'impact-report.csv';

const SCOPES = ['INDIVIDUAL', 'COMMUNITY', 'TENANT', 'GLOBAL'] as const;
const PERIODS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'] as const;

const QUERY = `query ImpactReportExport($scope: ImpactScope!, $period: ReportPeriod!, $communityId: ID, $userId: ID) {
  impactReport(scope: $scope, period: $period, communityId: $communityId, userId: $userId) {
    scope period from to overall eventCount participantCount scores { dimension score }
    trend { periodStart overall eventCount participantCount scores { dimension score } }
  }
}`;

interface Scored {
  overall: number;
  eventCount: number;
  participantCount: number;
  scores: { dimension: string; score: number }[];
}
interface ExportedReport extends Scored {
  scope: string;
  period: string;
  from: string | null;
  to: string;
  trend: (Scored & { periodStart: string })[];
}

const COLUMNS = [
  'scope',
  'period',
  'from',
  'to',
  'row',
  'period_start',
  'event_count',
  'participant_count',
  'overall',
  'sustainability',
  'community',
  'regenerative',
  'social_justice',
  'circularity',
];
const DIMENSIONS = ['SUSTAINABILITY', 'COMMUNITY', 'REGENERATIVE', 'SOCIAL_JUSTICE', 'CIRCULARITY'];

/**
 * GET /exports/impact-report.csv?scope=TENANT&period=MONTH[&communityId=…][&userId=…]: a period's
 * impact report as CSV, for tenant and platform admins, behind the same tenant resolution and
 * token as /graphql. The report comes from the supergraph itself (the same rules apply: GLOBAL
 * for platform admins only). One row for the period, then one per trend point.
 */
export async function serveImpactReportExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<GatewayContext>,
  execute: ExecuteOperation,
): Promise<void> {
  const gatewayContext = await exportContext(req, context, exportsReports, 'Only tenant and platform admins export reports');

  const scope = url.searchParams.get('scope') ?? 'TENANT';
  const period = url.searchParams.get('period') ?? 'ALL_TIME';
  if (!(SCOPES as readonly string[]).includes(scope))
    throw new HttpProblem(400, 'BAD_USER_INPUT', `scope must be one of ${SCOPES.join(', ')}`);
  if (!(PERIODS as readonly string[]).includes(period))
    throw new HttpProblem(400, 'BAD_USER_INPUT', `period must be one of ${PERIODS.join(', ')}`);
  const variables = { scope, period, communityId: url.searchParams.get('communityId'), userId: url.searchParams.get('userId') };

  const report = dataOf(await execute(QUERY, variables, gatewayContext)).impactReport as ExportedReport;
  const lines = [
    COLUMNS,
    rowOf(report, 'total', report.from ?? '', report),
    ...report.trend.map((point) => rowOf(report, 'trend', point.periodStart, point)),
  ];
  sendCsv(req, res, {
    name: `impact-${gatewayContext.tenant.slug}-${scope.toLowerCase()}-${period.toLowerCase()}-${report.to.slice(0, 10)}.csv`,
    rows: lines,
  });
}

function rowOf(report: ExportedReport, row: 'total' | 'trend', periodStart: string, scored: Scored): string[] {
  const byDimension = new Map(scored.scores.map((score) => [score.dimension, score.score]));
  return [
    report.scope,
    report.period,
    report.from ?? '',
    report.to,
    row,
    periodStart,
    String(scored.eventCount),
    String(scored.participantCount),
    String(scored.overall),
    ...DIMENSIONS.map((dimension) => String(byDimension.get(dimension) ?? 0)),
  ];
}
