import { NotificationKind, type NotificationPreference } from '@academy/platform';

/** Every kind, in the schema's order (the database's enum). */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/** Sent by email whatever the preferences say: the email is the only way they work. */
export const ALWAYS_EMAILED: readonly NotificationKind[] = ['INVITATION', 'PASSWORD_RESET'];

export interface Preferences {
  email: boolean;
  emailKinds: NotificationKind[];
}

/** Without a row: email on, every kind but REVIEW_RECEIVED. */
export const DEFAULT_PREFERENCES: Preferences = {
  email: true,
  emailKinds: NOTIFICATION_KINDS.filter((kind) => kind !== 'REVIEW_RECEIVED'),
};

export function preferencesOf(row: Pick<NotificationPreference, 'email' | 'emailKinds'> | null): Preferences {
  return row ? { email: row.email, emailKinds: NOTIFICATION_KINDS.filter((kind) => row.emailKinds.includes(kind)) } : DEFAULT_PREFERENCES;
}

export function wantsEmail(kind: NotificationKind, preferences: Preferences): boolean {
  if (ALWAYS_EMAILED.includes(kind)) return true;
  return preferences.email && preferences.emailKinds.includes(kind);
}

/** The preferences after an update: what the input leaves out stays as it was. */
export function updatedPreferences(
  current: Preferences,
  input: { email?: boolean | null; emailKinds?: readonly NotificationKind[] | null },
): Preferences {
  return {
    email: input.email ?? current.email,
    emailKinds: input.emailKinds ? NOTIFICATION_KINDS.filter((kind) => input.emailKinds!.includes(kind)) : current.emailKinds,
  };
}
