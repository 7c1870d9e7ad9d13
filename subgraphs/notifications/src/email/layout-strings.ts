export type EmailLocale = 'es-MX' | 'en';

/** The layout's own words; the message itself (title, body, action) arrives already localized. */
export interface LayoutStrings {
  greeting(recipientName: string): string;
  /** Footer of a notification the recipient can turn off. */
  reasonNotification(tenantName: string): string;
  /** Footer of an email sent because of something done with the address (invitation, password reset). */
  reasonTransactional(tenantName: string): string;
  changePreferences: string;
  /** Followed by the action's URL, for clients that do not show the button. */
  buttonFallback: string;
}

export const layoutStrings: Record<EmailLocale, LayoutStrings> = {
  'es-MX': {
    greeting: (name) => `Hola, ${name}`,
    reasonNotification: (tenant) => `Recibes este correo porque tienes activadas las notificaciones por correo en ${tenant}.`,
    reasonTransactional: (tenant) =>
      `Recibes este correo porque se usó tu dirección en ${tenant}. Si no esperabas este mensaje, puedes ignorarlo.`,
    changePreferences: 'Cambia tus preferencias de notificación',
    buttonFallback: 'Si el botón no funciona, copia este enlace:',
  },
  en: {
    greeting: (name) => `Hi, ${name}`,
    reasonNotification: (tenant) => `You are receiving this email because email notifications are turned on for you at ${tenant}.`,
    reasonTransactional: (tenant) =>
      `You are receiving this email because your address was used at ${tenant}. If you did not expect this message, you can ignore it.`,
    changePreferences: 'Change your notification preferences',
    buttonFallback: 'If the button does not work, copy this link:',
  },
};

export const DEFAULT_LOCALE: EmailLocale = 'es-MX';

/** Spanish unless the locale is one we have words for. */
export function emailLocale(locale: string): EmailLocale {
  return Object.hasOwn(layoutStrings, locale) ? (locale as EmailLocale) : DEFAULT_LOCALE;
}
