import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpProblem } from '@academy/graphql-http';
import { exportsReports } from '@academy/permissions';
import type { GatewayContext } from '../gateway-context';
import { dataOf, exportContext, sendCsv, type ExecuteOperation } from './csv-export';

export const DC3_EXPORT = 'dc3.csv';

/** The supergraph's page size (dc3s caps `first` at 100). */
const PAGE = 100;
/** More than this in one period is refused: a shorter period is a file a spreadsheet opens. */
export const DC3_EXPORT_MAX_ROWS = 10_000;
const DAY_MS = 86_400_000;

const QUERY = `query Dc3Export($first: Int!, $after: String) {
  dc3s(first: $first, after: $after) {
    id workerName workerCurp occupation jobTitle courseTitle durationHours startedOn finishedOn
    thematicArea trainerName trainerRegistration issuedAt
  }
}`;

interface ExportedDc3 {
  id: string;
  workerName: string;
  workerCurp: string;
  occupation: string;
  jobTitle: string;
  courseTitle: string;
  durationHours: number;
  startedOn: string;
  finishedOn: string;
  thematicArea: string;
  trainerName: string;
  trainerRegistration: string | null;
  issuedAt: string;
}

export const DC3_COLUMNS = [
  'worker_name',
  'curp',
  'occupation',
  'job_title',
  'course',
  'duration_hours',
  'started_on',
  'finished_on',
  'thematic_area',
  'trainer',
  'trainer_registration',
  'issued_at',
];

/**
 * GET /exports/dc3.csv?from=YYYY-MM-DD&to=YYYY-MM-DD (or /t/<tenant>/exports/dc3.csv): the DC-3s
 * of the trainings finished in the period (finishedOn from..to, both days included; the dates a
 * DC-3 prints, in the tenant's timezone, so a corrected re-issue stays in its period), one row
 * each, for the employer's DC-4 list. Tenant admins only, behind the same tenant resolution and
 * token as /graphql; the rows come from `dc3s` through the supergraph (its rules apply). UTF-8
 * with a byte order mark (Excel), RFC 4180, formula-safe cells; newest issued first.
 */
export async function serveDc3Export(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: () => Promise<GatewayContext>,
  execute: ExecuteOperation,
): Promise<void> {
  const gatewayContext = await exportContext(req, context, exportsReports, 'Only tenant admins export DC-3s');
  const from = dayParameter(url, 'from');
  const to = dayParameter(url, 'to');
  if (from > to) throw new HttpProblem(400, 'BAD_USER_INPUT', 'from must not be after to');

  // Issued at or after the training finished: once a page reaches DC-3s issued a day (any
  // timezone) before `from`, no later one finished in the period.
  const issuedBefore = Date.parse(`${from}T00:00:00Z`) - DAY_MS;
  const rows: string[][] = [DC3_COLUMNS];
  let after: string | null = null;
  for (;;) {
    const page = dataOf(await execute(QUERY, { first: PAGE, after }, gatewayContext)).dc3s as ExportedDc3[];
    for (const dc3 of page) if (dc3.finishedOn >= from && dc3.finishedOn <= to) rows.push(rowOf(dc3));
    if (rows.length - 1 > DC3_EXPORT_MAX_ROWS)
      throw new HttpProblem(400, 'BAD_USER_INPUT', `More than ${DC3_EXPORT_MAX_ROWS} DC-3s in the period: export a shorter one`);
    const last = page.at(-1);
    if (!last || page.length < PAGE || Date.parse(last.issuedAt) < issuedBefore) break;
    after = last.id;
  }
  sendCsv(req, res, { name: `dc3-${gatewayContext.tenant.slug}-${from}-${to}.csv`, rows, bom: true });
}

/** A required YYYY-MM-DD parameter that is a real date. */
function dayParameter(url: URL, name: 'from' | 'to'): string {
  const value = url.searchParams.get(name) ?? '';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new HttpProblem(400, 'BAD_USER_INPUT', `${name} must be a date as YYYY-MM-DD`);
  return value;
}

function rowOf(dc3: ExportedDc3): string[] {
  return [
    dc3.workerName,
    dc3.workerCurp,
    dc3.occupation,
    dc3.jobTitle,
    dc3.courseTitle,
    String(dc3.durationHours),
    dc3.startedOn,
    dc3.finishedOn,
    dc3.thematicArea,
    dc3.trainerName,
    dc3.trainerRegistration ?? '',
    dc3.issuedAt,
  ];
}
