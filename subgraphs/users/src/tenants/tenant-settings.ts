import { z } from 'zod';
import { BadUserInputError, isUuid, type InputIssue, type Tenant } from '@academy/platform';
import { ATTACHED_FILE_MESSAGE } from '../accounts/attached-files';
import { rfcProblem } from './rfc';

/** What a tenant keeps in `tenants.settings` (JSON), read through this shape with its defaults. */
const STORED = z.object({
  displayName: z.string().optional(),
  primaryColor: z.string().optional(),
  locale: z.string().optional(),
  timezone: z.string().optional(),
  selfSignUp: z.boolean().optional(),
  arbitraryDocuments: z.boolean().optional(),
  employerName: z.string().optional(),
  employerRfc: z.string().optional(),
  emailFrom: z.string().optional(),
});

export interface TenantBranding {
  /** With logoFileId, the key by which the media subgraph answers logoUrl. */
  tenantId: string;
  logoFileId: string | null;
  displayName: string;
  primaryColor: string | null;
  locale: string;
  timezone: string;
}

export interface TenantSettings {
  selfSignUp: boolean;
  arbitraryDocuments: boolean;
  employerName: string | null;
  employerRfc: string | null;
  emailFrom: string | null;
}

function stored(tenant: Pick<Tenant, 'settings'>): z.infer<typeof STORED> {
  const parsed = STORED.safeParse(tenant.settings);
  return parsed.success ? parsed.data : {};
}

/** How the apps theme themselves for a tenant, before anyone signs in. */
export function brandingOf(tenant: Pick<Tenant, 'id' | 'name' | 'settings' | 'logoFileId'>): TenantBranding {
  const settings = stored(tenant);
  return {
    tenantId: tenant.id,
    logoFileId: tenant.logoFileId,
    displayName: settings.displayName ?? tenant.name,
    primaryColor: settings.primaryColor ?? null,
    locale: settings.locale ?? 'es-MX',
    timezone: settings.timezone ?? 'America/Mexico_City',
  };
}

export function settingsOf(tenant: Pick<Tenant, 'settings'>): TenantSettings {
  const settings = stored(tenant);
  return {
    selfSignUp: settings.selfSignUp ?? true,
    arbitraryDocuments: settings.arbitraryDocuments ?? false,
    employerName: settings.employerName ?? null,
    employerRfc: settings.employerRfc ?? null,
    emailFrom: settings.emailFrom ?? null,
  };
}

export interface TenantSettingsInput {
  displayName?: string | null;
  /** Kept in its own column (the database checks it is a READY TENANT_LOGO file of the tenant). */
  logoFileId?: string | null;
  primaryColor?: string | null;
  locale?: string | null;
  timezone?: string | null;
  selfSignUp?: boolean | null;
  employerName?: string | null;
  employerRfc?: string | null;
  emailFrom?: string | null;
}

const RFC_MESSAGES = {
  format: 'must be an RFC: 12 characters for a company, 13 for a person',
  date: 'its date is not a real date',
  'check-digit': 'its check digit does not match (SAT)',
} as const;

/**
 * The tenant's settings JSON after an update: each given field checked and put in, each field
 * given as null removed (back to its default), the rest kept. BAD_USER_INPUT lists every problem.
 */
export function updatedSettings(tenant: Pick<Tenant, 'settings'>, input: TenantSettingsInput): Record<string, unknown> {
  if (input.logoFileId !== undefined && input.logoFileId !== null && !isUuid(input.logoFileId))
    throw new BadUserInputError('Invalid tenant settings', [{ field: 'logoFileId', message: ATTACHED_FILE_MESSAGE.logoFileId }]);
  const issues: InputIssue[] = [];
  const next: Record<string, unknown> = { ...(typeof tenant.settings === 'object' && tenant.settings ? tenant.settings : {}) };
  const text = (field: keyof TenantSettingsInput, max: number, check?: (value: string) => string | null) => {
    if (!(field in input)) return;
    const value = input[field];
    if (value === null || value === undefined) return void delete next[field];
    const trimmed = String(value).trim();
    const problem = trimmed.length === 0 || trimmed.length > max ? `must be 1 to ${max} characters` : (check?.(trimmed) ?? null);
    if (problem) issues.push({ field, message: problem });
    else next[field] = trimmed;
  };
  text('displayName', 120);
  text('primaryColor', 7, (value) => (/^#[0-9a-fA-F]{6}$/.test(value) ? null : 'must be a colour as #RRGGBB'));
  text('locale', 35, (value) => (canonicalLocale(value) ? null : 'must be es-MX or en (a BCP 47 tag of Spanish or English)'));
  if (typeof next.locale === 'string') next.locale = canonicalLocale(next.locale) ?? next.locale;
  text('timezone', 64, (value) => (isTimeZone(value) ? null : 'must be an IANA time zone, e.g. America/Mexico_City'));
  text('employerName', 254);
  text('employerRfc', 13, (value) => {
    const problem = rfcProblem(value.toUpperCase());
    return problem ? RFC_MESSAGES[problem] : null;
  });
  if (typeof next.employerRfc === 'string') next.employerRfc = next.employerRfc.toUpperCase();
  text('emailFrom', 80, (value) => (/[<>"\r\n@]/.test(value) ? 'must be a name only (no address, quotes or angle brackets)' : null));
  if ('selfSignUp' in input) {
    if (input.selfSignUp === null || input.selfSignUp === undefined) delete next.selfSignUp;
    else next.selfSignUp = input.selfSignUp;
  }
  if (issues.length > 0) throw new BadUserInputError('Invalid tenant settings', issues);
  return next;
}

function canonicalLocale(value: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical && ['es', 'en'].includes(canonical.split('-')[0]!.toLowerCase()) ? canonical : null;
  } catch {
    return null;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
