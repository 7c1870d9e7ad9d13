import type { AnalyticsRepository } from '../repositories/analytics-repository';

/** The zone of a tenant that set none, or set one PostgreSQL does not know. */
export const DEFAULT_TIMEZONE = 'America/Mexico_City';

/**
 * PostgreSQL's name for each zone setting seen, for the life of the process (its zone database
 * does not change while it runs), so a setting is looked up once, not on every request.
 */
const databaseNames = new Map<string, Promise<string | null>>();
/** Settings are IANA names (checked when set); this bounds what rows written otherwise can add. */
const MAX_REMEMBERED = 1_000;

/**
 * The tenant's timezone (`tenants.settings->>'timezone'`), as PostgreSQL names it, read once per
 * request. The users subgraph checks the setting with Node's Intl when it is written, but a zone
 * Node knows is not always one PostgreSQL knows (nor is a row written another way checked), and
 * `AT TIME ZONE` with an unknown zone fails the statement: anything PostgreSQL does not list in
 * pg_timezone_names falls back to the default instead. (PostgreSQL's own POSIX forms such as
 * '+05', which mean the opposite offset, and abbreviations are not listed, so they fall back too.)
 */
export class TenantTimezone {
  private zone: Promise<string> | undefined;

  constructor(private readonly rows: AnalyticsRepository) {}

  get(): Promise<string> {
    this.zone ??= this.resolve();
    return this.zone;
  }

  private async resolve(): Promise<string> {
    const setting = (await this.rows.timezoneSetting())?.trim();
    if (!setting || setting.length > 64) return DEFAULT_TIMEZONE;
    let known = databaseNames.get(setting);
    if (!known) {
      if (databaseNames.size >= MAX_REMEMBERED) databaseNames.clear();
      known = this.rows.databaseZoneName(setting);
      databaseNames.set(setting, known);
      // A failed lookup (the database unreachable) is not an answer to remember.
      known.catch(() => databaseNames.delete(setting));
    }
    return (await known) ?? DEFAULT_TIMEZONE;
  }
}
