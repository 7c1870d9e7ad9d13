/** The role the services connect as (created by the row_level_security migration). */
export const APP_DATABASE_ROLE = 'academy_app';

/**
 * The services' connection URL. Operators set DATABASE_APP_URL; on a developer machine it is
 * derived from the owner's DATABASE_URL with the app role and its password swapped in
 * (`npm run db:migrate` sets that password).
 */
export function appDatabaseUrl(options: { appUrl?: string | undefined; ownerUrl: string; appPassword: string }): string {
  if (options.appUrl) return options.appUrl;
  const url = new URL(options.ownerUrl);
  url.username = APP_DATABASE_ROLE;
  url.password = options.appPassword;
  return url.toString();
}
