import type { ConocerStatus, NotificationKind } from '@academy/platform';

export type Locale = 'es-MX' | 'en';

/** The user's locale as far as messages go: English for en*, Mexican Spanish otherwise. */
export function messageLocale(locale: string | null | undefined): Locale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'es-MX';
}

/** What a message may say, gathered from the event (and the records it names). */
export interface NotificationFacts {
  courseTitle?: string;
  verificationCode?: string;
  reason?: string | null;
  status?: ConocerStatus;
  folio?: string | null;
  amountCents?: number;
  currency?: string;
  description?: string;
  accepted?: boolean;
  judgement?: 'COMPETENT' | 'NOT_YET_COMPETENT';
  comment?: string | null;
  rating?: number;
  tenantName?: string;
}

export interface Message {
  title: string;
  body: string;
  /** The label of the email's button to the notification's link. */
  action: string;
}

type Catalogue = Record<NotificationKind, Record<Locale, (facts: NotificationFacts) => Message>>;

const course = (facts: NotificationFacts) => `«${facts.courseTitle ?? ''}»`;
const courseEn = (facts: NotificationFacts) => `“${facts.courseTitle ?? ''}”`;

export function formatMoney(cents: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

const CONOCER_STATUS: Record<Locale, Record<ConocerStatus, string>> = {
  'es-MX': {
    NOT_REQUESTED: 'sin solicitar',
    PENDING: 'en espera de envío',
    SUBMITTED: 'recibida por CONOCER',
    IN_REVIEW: 'en revisión en CONOCER',
    APPROVED: 'aprobada: tu certificación es oficial',
    REJECTED: 'rechazada por CONOCER',
    FAILED: 'no pudo enviarse a CONOCER',
  },
  en: {
    NOT_REQUESTED: 'not requested',
    PENDING: 'waiting to be sent',
    SUBMITTED: 'received by CONOCER',
    IN_REVIEW: 'under review at CONOCER',
    APPROVED: 'approved: your certification is official',
    REJECTED: 'rejected by CONOCER',
    FAILED: 'could not be sent to CONOCER',
  },
};

const withReason = (text: string, reason: string | null | undefined, label: string) => (reason ? `${text}\n\n${label}: ${reason}` : text);

/** Every kind's title, body and action, in each locale: one place for what the platform tells people. */
export const MESSAGES: Catalogue = {
  ENROLLED: {
    'es-MX': (f) => ({
      title: `Te inscribiste en ${course(f)}`,
      body: `Ya puedes empezar ${course(f)}. ¡Mucho éxito!`,
      action: 'Ir al curso',
    }),
    en: (f) => ({
      title: `You enrolled in ${courseEn(f)}`,
      body: `You can start ${courseEn(f)} now. Good luck!`,
      action: 'Go to the course',
    }),
  },
  CERTIFICATE_ISSUED: {
    'es-MX': (f) => ({
      title: 'Tu certificado está listo',
      body: `Completaste ${course(f)}. Código de verificación: ${f.verificationCode ?? ''}.`,
      action: 'Ver mi certificado',
    }),
    en: (f) => ({
      title: 'Your certificate is ready',
      body: `You completed ${courseEn(f)}. Verification code: ${f.verificationCode ?? ''}.`,
      action: 'See my certificate',
    }),
  },
  CERTIFICATE_REVOKED: {
    'es-MX': (f) => ({
      title: 'Tu certificado fue revocado',
      body: withReason(`El certificado de ${course(f)} ya no es válido.`, f.reason, 'Motivo'),
      action: 'Ver el certificado',
    }),
    en: (f) => ({
      title: 'Your certificate was revoked',
      body: withReason(`The certificate of ${courseEn(f)} is no longer valid.`, f.reason, 'Reason'),
      action: 'See the certificate',
    }),
  },
  CONOCER_STATUS: {
    'es-MX': (f) => ({
      title: `Tu solicitud CONOCER: ${CONOCER_STATUS['es-MX'][f.status ?? 'PENDING']}`,
      body: withReason(
        `La solicitud de certificación de ${course(f)} está ${CONOCER_STATUS['es-MX'][f.status ?? 'PENDING']}.` +
          (f.folio ? ` Folio: ${f.folio}.` : ''),
        f.reason,
        'Detalle',
      ),
      action: 'Ver la solicitud',
    }),
    en: (f) => ({
      title: `Your CONOCER request: ${CONOCER_STATUS.en[f.status ?? 'PENDING']}`,
      body: withReason(
        `The certification request for ${courseEn(f)} is ${CONOCER_STATUS.en[f.status ?? 'PENDING']}.` +
          (f.folio ? ` Folio: ${f.folio}.` : ''),
        f.reason,
        'Details',
      ),
      action: 'See the request',
    }),
  },
  ORDER_PAID: {
    'es-MX': (f) => ({
      title: 'Recibimos tu pago',
      body: `Pagaste ${formatMoney(f.amountCents ?? 0, f.currency ?? 'MXN', 'es-MX')} por ${course(f)}. Ya tienes acceso.`,
      action: 'Ver mi compra',
    }),
    en: (f) => ({
      title: 'We received your payment',
      body: `You paid ${formatMoney(f.amountCents ?? 0, f.currency ?? 'MXN', 'en')} for ${courseEn(f)}. You have access now.`,
      action: 'See my order',
    }),
  },
  ORDER_FAILED: {
    'es-MX': (f) => ({
      title: 'Tu pago no se completó',
      body: withReason(`El pago de ${course(f)} no se completó. Puedes intentarlo de nuevo.`, f.reason, 'Motivo'),
      action: 'Intentar de nuevo',
    }),
    en: (f) => ({
      title: 'Your payment did not go through',
      body: withReason(`The payment for ${courseEn(f)} did not go through. You can try again.`, f.reason, 'Reason'),
      action: 'Try again',
    }),
  },
  ORDER_REFUNDED: {
    'es-MX': (f) => ({
      title: 'Te devolvimos tu pago',
      body: withReason(
        `Reembolsamos ${formatMoney(f.amountCents ?? 0, f.currency ?? 'MXN', 'es-MX')} de ${course(f)}.`,
        f.reason,
        'Motivo',
      ),
      action: 'Ver mi compra',
    }),
    en: (f) => ({
      title: 'Your payment was refunded',
      body: withReason(`We refunded ${formatMoney(f.amountCents ?? 0, f.currency ?? 'MXN', 'en')} for ${courseEn(f)}.`, f.reason, 'Reason'),
      action: 'See my order',
    }),
  },
  EVIDENCE_REVIEWED: {
    'es-MX': (f) => ({
      title: f.accepted ? 'Tu evidencia fue aceptada' : 'Tu evidencia necesita cambios',
      body: withReason(
        f.accepted ? `Un evaluador aceptó tu evidencia de ${course(f)}.` : `Un evaluador pidió cambios en tu evidencia de ${course(f)}.`,
        f.comment,
        'Comentario',
      ),
      action: 'Ver mi portafolio',
    }),
    en: (f) => ({
      title: f.accepted ? 'Your evidence was accepted' : 'Your evidence needs changes',
      body: withReason(
        f.accepted
          ? `An evaluator accepted your evidence for ${courseEn(f)}.`
          : `An evaluator asked for changes to your evidence for ${courseEn(f)}.`,
        f.comment,
        'Comment',
      ),
      action: 'See my portfolio',
    }),
  },
  EVALUATION_DECIDED: {
    'es-MX': (f) => ({
      title: f.judgement === 'COMPETENT' ? 'Eres competente' : 'Aún no eres competente',
      body: withReason(
        f.judgement === 'COMPETENT'
          ? `El evaluador te juzgó competente en ${course(f)}. Ya puedes pedir tu certificación CONOCER.`
          : `El evaluador te juzgó aún no competente en ${course(f)}. Puedes completar tu portafolio y pedir otra evaluación.`,
        f.comment,
        'Comentario',
      ),
      action: 'Ver mi portafolio',
    }),
    en: (f) => ({
      title: f.judgement === 'COMPETENT' ? 'You are competent' : 'Not yet competent',
      body: withReason(
        f.judgement === 'COMPETENT'
          ? `The evaluator judged you competent in ${courseEn(f)}. You can request your CONOCER certification now.`
          : `The evaluator judged you not yet competent in ${courseEn(f)}. You can complete your portfolio and ask again.`,
        f.comment,
        'Comment',
      ),
      action: 'See my portfolio',
    }),
  },
  REVIEW_RECEIVED: {
    'es-MX': (f) => ({
      title: `Nueva reseña de ${course(f)}`,
      body: `Un estudiante calificó ${course(f)} con ${f.rating ?? 0} de 5.`,
      action: 'Ver reseñas',
    }),
    en: (f) => ({
      title: `New review of ${courseEn(f)}`,
      body: `A learner rated ${courseEn(f)} ${f.rating ?? 0} out of 5.`,
      action: 'See reviews',
    }),
  },
  INVITATION: {
    'es-MX': (f) => ({
      title: `Te invitaron a ${f.tenantName ?? 'MADFAM Academy'}`,
      body: `Acepta la invitación para crear tu contraseña y entrar a ${f.tenantName ?? 'MADFAM Academy'}. El enlace vence en 7 días.`,
      action: 'Aceptar la invitación',
    }),
    en: (f) => ({
      title: `You are invited to ${f.tenantName ?? 'MADFAM Academy'}`,
      body: `Accept the invitation to set your password and join ${f.tenantName ?? 'MADFAM Academy'}. The link expires in 7 days.`,
      action: 'Accept the invitation',
    }),
  },
  PASSWORD_RESET: {
    'es-MX': () => ({
      title: 'Restablece tu contraseña',
      body: 'Alguien pidió restablecer la contraseña de tu cuenta. Si fuiste tú, usa el enlace; vence en 1 hora. Si no, ignora este mensaje.',
      action: 'Restablecer mi contraseña',
    }),
    en: () => ({
      title: 'Reset your password',
      body: 'Someone asked to reset the password of your account. If it was you, use the link; it expires in 1 hour. If not, ignore this message.',
      action: 'Reset my password',
    }),
  },
  IMPACT_VERIFIED: {
    'es-MX': (f) => ({
      title: 'Tu impacto fue verificado',
      body: `Verificaron tu acción «${f.description ?? ''}». Ya cuenta en tu reporte de impacto Solarpunk.`,
      action: 'Ver mi impacto',
    }),
    en: (f) => ({
      title: 'Your impact was verified',
      body: `Your action “${f.description ?? ''}” was verified. It now counts in your Solarpunk impact report.`,
      action: 'See my impact',
    }),
  },
};
