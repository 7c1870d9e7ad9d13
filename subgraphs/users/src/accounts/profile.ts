import { curpProblem } from '@academy/curp';
import { BadUserInputError, ConflictError, isUuid, type InputIssue, type User } from '@academy/platform';
import type { UserRepository } from '../repositories/user-repository';
import { ATTACHED_FILE_MESSAGE, attaching } from './attached-files';

/** Locales the platform speaks (notifications, emails); a regional variant of one is kept as given. */
const SPOKEN = ['es', 'en'];

/** What a user changes of their own profile: name, CURP (one account per CURP in a tenant), locale, avatar. */
export async function updateProfile(
  users: UserRepository,
  userId: string,
  input: { name?: string | null; curp?: string | null; locale?: string | null; avatarFileId?: string | null },
): Promise<User> {
  const issues: InputIssue[] = [];
  const name = input.name?.trim();
  const curp = input.curp?.trim().toUpperCase();
  if (name !== undefined && (name.length === 0 || name.length > 120))
    issues.push({ field: 'name', message: 'must be 1 to 120 characters' });
  const problem = curp === undefined ? null : curpProblem(curp);
  if (problem)
    issues.push({
      field: 'curp',
      message:
        problem === 'check-digit'
          ? 'the check digit does not match'
          : problem === 'date'
            ? 'the birth date is not a real date'
            : 'must be 18 characters in CURP format',
    });
  const locale = input.locale === undefined || input.locale === null ? undefined : canonicalLocale(input.locale);
  if (locale === null) issues.push({ field: 'locale', message: 'must be es-MX or en (a BCP 47 tag of Spanish or English)' });
  if (input.avatarFileId && !isUuid(input.avatarFileId))
    issues.push({ field: 'avatarFileId', message: ATTACHED_FILE_MESSAGE.avatarFileId });
  if (issues.length > 0) throw new BadUserInputError('Invalid profile', issues);
  try {
    return await attaching('avatarFileId', () =>
      users.updateProfile(userId, {
        ...(name !== undefined ? { name } : {}),
        ...(curp !== undefined ? { curp } : {}),
        ...(locale ? { locale } : {}),
        ...(input.avatarFileId !== undefined ? { avatarFileId: input.avatarFileId } : {}),
      }),
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002')
      throw new ConflictError('Another account of this academy has this CURP; CONOCER certifies one person per CURP');
    throw error;
  }
}

function canonicalLocale(value: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(value.trim());
    return canonical && SPOKEN.includes(canonical.split('-')[0]!.toLowerCase()) ? canonical : null;
  } catch {
    return null;
  }
}
