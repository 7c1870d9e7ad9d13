/** The codes of the API contract's errors (`extensions.code`), and NETWORK_ERROR when no answer came. */
export type AcademyErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'PAYMENT_REQUIRED'
  | 'RATE_LIMITED'
  | 'TENANT_NOT_FOUND'
  | 'TENANT_MISMATCH'
  | 'TENANT_SUSPENDED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR';

export type Locale = 'es-MX' | 'en';

export interface DescribedError {
  /** One of AcademyErrorCode, or the server's own code when it is a newer one. */
  code: string;
  /** What to show the user, in the locale asked for. */
  message: string;
  /** The server's message (English, for logs and support), when there was one. */
  detail?: string;
}

const MESSAGES: Record<AcademyErrorCode, Record<Locale, string>> = {
  UNAUTHENTICATED: {
    'es-MX': 'Tu sesión terminó o no es válida. Inicia sesión de nuevo.',
    en: 'Your session has ended or is not valid. Sign in again.',
  },
  FORBIDDEN: {
    'es-MX': 'No tienes permiso para hacer esto.',
    en: 'You do not have permission to do this.',
  },
  NOT_FOUND: {
    'es-MX': 'No encontramos lo que buscas.',
    en: 'We could not find what you are looking for.',
  },
  BAD_USER_INPUT: {
    'es-MX': 'Revisa los datos: algo no es válido.',
    en: 'Check the data: something is not valid.',
  },
  CONFLICT: {
    'es-MX': 'Esto ya existe o cambió mientras tanto. Actualiza e inténtalo de nuevo.',
    en: 'This already exists or changed in the meantime. Refresh and try again.',
  },
  PAYMENT_REQUIRED: {
    'es-MX': 'Se necesita un pago para continuar.',
    en: 'A payment is needed to continue.',
  },
  RATE_LIMITED: {
    'es-MX': 'Demasiadas solicitudes. Espera un momento e inténtalo de nuevo.',
    en: 'Too many requests. Wait a moment and try again.',
  },
  TENANT_NOT_FOUND: {
    'es-MX': 'Esta academia no existe.',
    en: 'This academy does not exist.',
  },
  TENANT_MISMATCH: {
    'es-MX': 'Tu sesión pertenece a otra academia. Inicia sesión en esta.',
    en: 'Your session belongs to another academy. Sign in to this one.',
  },
  TENANT_SUSPENDED: {
    'es-MX': 'Esta academia está suspendida; sus certificados todavía se pueden verificar.',
    en: 'This academy is suspended; its certificates can still be verified.',
  },
  UPSTREAM_UNAVAILABLE: {
    'es-MX': 'Un servicio no está disponible por ahora. Inténtalo de nuevo en unos minutos.',
    en: 'A service is unavailable right now. Try again in a few minutes.',
  },
  INTERNAL_SERVER_ERROR: {
    'es-MX': 'Algo salió mal de nuestro lado. Inténtalo de nuevo.',
    en: 'Something went wrong on our side. Try again.',
  },
  NETWORK_ERROR: {
    'es-MX': 'No hay conexión con el servidor. Revisa tu conexión a internet.',
    en: 'The server cannot be reached. Check your internet connection.',
  },
};

/** Every code describeError knows, for exhaustive checks. */
export const ERROR_CODES = Object.keys(MESSAGES) as AcademyErrorCode[];

/**
 * What went wrong, for people: the code of an urql CombinedError, a GraphQL error, a
 * subscription's close event ("CODE: message") or any thrown value, with a message in
 * Spanish (es-MX, the default) or English.
 */
export function describeError(error: unknown, locale: Locale = 'es-MX'): DescribedError {
  const { code, detail } = codeOf(error);
  const known = (MESSAGES as Record<string, Record<Locale, string>>)[code];
  return {
    code,
    message: (known ?? MESSAGES.INTERNAL_SERVER_ERROR)[locale],
    ...(detail ? { detail } : {}),
  };
}

interface GraphQLErrorLike {
  message?: unknown;
  extensions?: { code?: unknown } | null;
}

function codeOf(error: unknown): { code: string; detail?: string } {
  if (typeof error !== 'object' || error === null) return { code: 'INTERNAL_SERVER_ERROR' };
  const combined = error as { graphQLErrors?: GraphQLErrorLike[]; networkError?: unknown; response?: { status?: unknown } };
  const first = combined.graphQLErrors?.find((graphQLError) => typeof graphQLError.extensions?.code === 'string');
  if (first) return withDetail(String(first.extensions!.code), first.message);
  if (Array.isArray(error)) return codeOf({ graphQLErrors: error });
  const single = error as GraphQLErrorLike;
  if (typeof single.extensions?.code === 'string') return withDetail(single.extensions.code, single.message);
  if ('networkError' in combined && combined.networkError) return codeOf(combined.networkError);
  // A graphql-ws close event: the gateway closes with the reason "CODE: message".
  const reason = (error as { reason?: unknown }).reason;
  if (typeof reason === 'string') {
    const match = /^([A-Z_]+): (.*)$/.exec(reason);
    if (match) return withDetail(match[1]!, match[2]);
  }
  if (error instanceof TypeError || 'code' in error || 'reason' in error)
    return withDetail('NETWORK_ERROR', (error as { message?: unknown }).message);
  return withDetail('INTERNAL_SERVER_ERROR', (error as { message?: unknown }).message);
}

function withDetail(code: string, message: unknown): { code: string; detail?: string } {
  return typeof message === 'string' && message ? { code, detail: message } : { code };
}
