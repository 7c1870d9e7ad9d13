import CircuitBreaker from 'opossum';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** Worth trying again later: CONOCER is down, slow, overloaded, or the breaker is open. */
export class ConocerRetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ConocerRetryableError';
  }
}

/** CONOCER answered, and the answer will not change by asking again (invalid request, unknown folio). */
export class ConocerFinalError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ConocerFinalError';
  }
}

export interface CertificationRequest {
  idempotencyKey: string;
  candidate: { curp: string; name: string };
  standardCode: string;
  evidence: { summary: string; finalScore: number; hours: number };
  evaluator: { name: string };
  /**
   * The evaluator's judgement on the evaluation portfolio (courses with criteria); for a course
   * without criteria, the passed assessment: COMPETENT, no evaluator, no evidence, judged when the certificate was issued.
   */
  evaluation: {
    judgement: 'COMPETENT' | 'NOT_YET_COMPETENT' | null;
    evaluator: { id: string; name: string } | null;
    /** Pieces of ACCEPTED evidence in the portfolio. */
    evidenceCount: number;
    judgedAt: string | null;
  };
}

export type ConocerRequestStatus = 'SUBMITTED' | 'IN_REVIEW' | 'APPROVED' | 'REJECTED';

export interface ConocerStandard {
  code: string;
  title: string;
  level: number;
  sector: string;
  sectorId: string | null;
  committee: string | null;
  renecId: string | null;
  active: boolean;
  updatedAt: string;
}

export interface ConocerClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per request; beyond it the request counts as failed (retryable). */
  timeoutMs: number;
  breaker?: { errorThresholdPercentage?: number; resetTimeoutMs?: number; volumeThreshold?: number; rollingCountTimeoutMs?: number };
  onCircuitChange?: (state: CircuitState) => void;
}

interface HttpResult {
  status: number;
  body: unknown;
}

/**
 * CONOCER's certification API: OAuth2 client credentials (token cached until shortly before it
 * expires), a timeout on every call, and a circuit breaker (opossum) that stops calling a failing
 * CONOCER for a while. Errors come out as retryable or final.
 */
export class ConocerClient {
  private token: { value: string; expiresAt: number } | null = null;
  private tokenRequest: Promise<string> | null = null;
  private readonly breaker: CircuitBreaker<[string, string, unknown?], HttpResult>;

  constructor(private readonly options: ConocerClientOptions) {
    this.breaker = new CircuitBreaker((method: string, path: string, body?: unknown) => this.call(method, path, body), {
      // Our own timeout (AbortSignal) applies; opossum's would leave the request running.
      timeout: false,
      errorThresholdPercentage: options.breaker?.errorThresholdPercentage ?? 50,
      resetTimeout: options.breaker?.resetTimeoutMs ?? 10_000,
      volumeThreshold: options.breaker?.volumeThreshold ?? 10,
      rollingCountTimeout: options.breaker?.rollingCountTimeoutMs ?? 10_000,
      // A final answer is CONOCER working, not failing.
      errorFilter: (error: Error) => error instanceof ConocerFinalError,
    });
    this.breaker.on('open', () => options.onCircuitChange?.('OPEN'));
    this.breaker.on('halfOpen', () => options.onCircuitChange?.('HALF_OPEN'));
    this.breaker.on('close', () => options.onCircuitChange?.('CLOSED'));
  }

  get circuit(): CircuitState {
    return this.breaker.opened ? 'OPEN' : this.breaker.halfOpen ? 'HALF_OPEN' : 'CLOSED';
  }

  async submit(request: CertificationRequest): Promise<{ folio: string; status: ConocerRequestStatus }> {
    const { body } = await this.fire('POST', '/v1/certification-requests', request);
    return body as { folio: string; status: ConocerRequestStatus };
  }

  async status(folio: string): Promise<{ folio: string; status: ConocerRequestStatus; reason?: string; updatedAt: string }> {
    const { body } = await this.fire('GET', `/v1/certification-requests/${encodeURIComponent(folio)}`);
    return body as { folio: string; status: ConocerRequestStatus; reason?: string; updatedAt: string };
  }

  /** Every standard changed after `since` (all of them without it), page by page. */
  async *standards(since: Date | null, pageSize = 200): AsyncGenerator<ConocerStandard[]> {
    for (let page: number | null = 1; page !== null;) {
      const query = new URLSearchParams({
        page: String(page),
        pageSize: String(pageSize),
        ...(since ? { updatedSince: since.toISOString() } : {}),
      });
      const { body } = await this.fire('GET', `/v1/standards?${query}`);
      const result = body as { items: ConocerStandard[]; nextPage: number | null };
      yield result.items;
      page = result.nextPage;
    }
  }

  async verify(folio: string): Promise<{ folio: string; standardCode: string; issuedAt: string } | null> {
    try {
      return (await this.fire('GET', `/v1/certificates/${encodeURIComponent(folio)}`)).body as {
        folio: string;
        standardCode: string;
        issuedAt: string;
      };
    } catch (error) {
      if (error instanceof ConocerFinalError && error.status === 404) return null;
      throw error;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async fire(method: string, path: string, body?: unknown): Promise<HttpResult> {
    try {
      return await this.breaker.fire(method, path, body);
    } catch (error) {
      if (error instanceof ConocerFinalError || error instanceof ConocerRetryableError) throw error;
      if ((error as { code?: string }).code === 'EOPENBREAKER')
        throw new ConocerRetryableError('CONOCER circuit open', this.options.breaker?.resetTimeoutMs ?? 10_000);
      throw new ConocerRetryableError(`CONOCER unreachable: ${(error as Error).message}`);
    }
  }

  /** One API call; a rejected token is renewed once. */
  private async call(method: string, path: string, body?: unknown, renewed = false): Promise<HttpResult> {
    const result = await this.http(method, path, body, await this.accessToken());
    if (result.status === 401 && !renewed) {
      this.token = null;
      return this.call(method, path, body, true);
    }
    return classify(result);
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - 30_000 > Date.now()) return this.token.value;
    this.tokenRequest ??= (async () => {
      try {
        const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
        const result = classify(
          await this.http(
            'POST',
            '/oauth/token',
            'grant_type=client_credentials',
            undefined,
            `Basic ${basic}`,
            'application/x-www-form-urlencoded',
          ),
        );
        const { access_token: value, expires_in: ttl } = result.body as { access_token: string; expires_in: number };
        this.token = { value, expiresAt: Date.now() + ttl * 1000 };
        return value;
      } finally {
        this.tokenRequest = null;
      }
    })();
    return this.tokenRequest;
  }

  private async http(
    method: string,
    path: string,
    body: unknown,
    token?: string,
    authorization?: string,
    contentType = 'application/json',
  ): Promise<HttpResult> {
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': contentType } : {}),
          ...(authorization ? { authorization } : token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.options.timeoutMs} ms` : (error as Error).message;
      throw new ConocerRetryableError(`CONOCER ${method} ${path.split('?')[0]}: ${reason}`);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, body: parsed };
  }
}

/** 2xx passes; 408, 425, 429 and 5xx are retryable; any other 4xx is final. */
function classify(result: HttpResult): HttpResult {
  if (result.status < 300) return result;
  const body = (result.body ?? {}) as { message?: string; error?: string; details?: { field: string; message: string }[] };
  const message = body.message ?? body.error ?? `HTTP ${result.status}`;
  if (result.status === 408 || result.status === 425 || result.status === 429 || result.status >= 500) {
    throw new ConocerRetryableError(`CONOCER answered ${result.status}: ${message}`);
  }
  throw new ConocerFinalError(message, result.status, body.details ?? []);
}
