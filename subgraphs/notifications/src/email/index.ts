export {
  DEFAULT_PRIMARY_COLOR,
  NotificationEmail,
  brandColor,
  renderNotificationEmail,
  type EmailBranding,
  type EmailContent,
  type RenderedEmail,
} from './notification-email';
export { layoutStrings, emailLocale, DEFAULT_LOCALE, type EmailLocale, type LayoutStrings } from './layout-strings';
export {
  Mailer,
  MailerRejectedError,
  MailerUnavailableError,
  maskEmail,
  type CircuitState,
  type MailerOptions,
  type OutgoingEmail,
} from './mailer';
