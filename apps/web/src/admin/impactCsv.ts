import { ViewerDocument, type AcademyClient, type ReportPeriod } from '@academy/client';
import { tenantOf } from '../tenant';

const DEFAULT_TENANT = import.meta.env.VITE_DEFAULT_TENANT ?? 'demo';

/** A refusal of the export, shaped as the GraphQL errors describeError reads. */
export class ExportRefused extends Error {
  constructor(readonly graphQLErrors: { message: string; extensions: { code: string } }[]) {
    super(graphQLErrors[0]?.message ?? 'Export refused');
  }
}

/**
 * The tenant's impact report of `period` as CSV, from the gateway beside the API
 * (`…/exports/impact-report.csv`, with the session's token and the tenant), saved by the browser
 * under the name the gateway gives it. Returns that name.
 */
export async function downloadImpactCsv(client: AcademyClient, period: ReportPeriod): Promise<string> {
  const tenant = tenantOf(window.location, DEFAULT_TENANT);
  const url = new URL(tenant.graphqlUrl.replace(/\/graphql$/, '/exports/impact-report.csv'));
  url.searchParams.set('scope', 'TENANT');
  url.searchParams.set('period', period);
  const get = () => {
    const token = client.session.get()?.token;
    return fetch(url, {
      headers: { 'X-Tenant': tenant.slug, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      cache: 'no-store',
    });
  };
  let response = await get();
  if (response.status === 401) {
    // An expired token: any query through the SDK refreshes the session; then once more.
    await client.urql.query(ViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    response = await get();
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { errors?: { message: string; extensions: { code: string } }[] } | null;
    throw new ExportRefused(body?.errors ?? [{ message: `HTTP ${response.status}`, extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
    `impact-${tenant.slug}-tenant-${period.toLowerCase()}.csv`;
  const objectUrl = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = objectUrl;
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // After the browser took the file.
    setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  }
  return name;
}
