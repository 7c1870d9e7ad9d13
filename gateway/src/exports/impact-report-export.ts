import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { HttpProblem } from '@academy/graphql-http';
import { exportsReports } from '@academy/permissions';
import { PublicError } from '@academy/platform';
import type { GatewayContext } from '../gateway-context';

export const IMPACT_REPORT_EXPORT = 'impact-report.csv';

const SCOPES = ['INDIVIDUAL', 'COMMUNITY', 'TENANT', 'GLOBAL'] as const;
const PERIODS = ['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'ALL_TIME'] as const;
const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  TENANT_MISMATCH: 403,
  NOT_FOUND: 404,
  TENANT_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  UPSTREAM_UNAVAILABLE: 503,
};

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

export type ExecuteOperation = (
  query: string,
  variables: Record<string, unknown>,
  context: GatewayContext,
) => Promise<{ data?: Record<string, unknown> | null; errors?: readonly GraphQLFormattedError[] }>;

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
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpProblem(405, 'BAD_USER_INPUT', 'Use GET', { allow: 'GET, HEAD' });
  let gatewayContext: GatewayContext;
  try {
    gatewayContext = await context();
  } catch (error) {
    if (error instanceof PublicError) throw new HttpProblem(STATUS_OF_CODE[error.code] ?? 400, error.code, error.message);
    throw error;
  }
  if (!gatewayContext.viewer) throw new HttpProblem(401, 'UNAUTHENTICATED', 'Authentication required');
  if (!exportsReports(gatewayContext.viewer)) throw new HttpProblem(403, 'FORBIDDEN', 'Only tenant and platform admins export reports');

  const scope = url.searchParams.get('scope') ?? 'TENANT';
  const period = url.searchParams.get('period') ?? 'ALL_TIME';
  if (!(SCOPES as readonly string[]).includes(scope))
    throw new HttpProblem(400, 'BAD_USER_INPUT', `scope must be one of ${SCOPES.join(', ')}`);
  if (!(PERIODS as readonly string[]).includes(period))
    throw new HttpProblem(400, 'BAD_USER_INPUT', `period must be one of ${PERIODS.join(', ')}`);
  const variables = { scope, period, communityId: url.searchParams.get('communityId'), userId: url.searchParams.get('userId') };

  const result = await execute(QUERY, variables, gatewayContext);
  const failure = result.errors?.[0];
  if (failure || !result.data) {
    const code = String(failure?.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    throw new HttpProblem(STATUS_OF_CODE[code] ?? 500, code, failure?.message ?? 'Internal server error');
  }
  const report = result.data.impactReport as ExportedReport;
  const lines = [
    COLUMNS,
    rowOf(report, 'total', report.from ?? '', report),
    ...report.trend.map((point) => rowOf(report, 'trend', point.periodStart, point)),
  ];
  const body = lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
  const filename = `impact-${gatewayContext.tenant.slug}-${scope.toLowerCase()}-${period.toLowerCase()}-${report.to.slice(0, 10)}.csv`;
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'private, no-store',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
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

/** RFC 4180; a field a spreadsheet would run as a formula is quoted with a leading apostrophe. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
