import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { curpProblem } from '@academy/curp';
import { EC_CODE_PATTERN, RENEC_SNAPSHOT_AT, RENEC_STANDARDS, type RenecStandard } from '@academy/renec';

/** Faults the sandbox injects on the API (never on /admin). */
export interface Faults {
  /** Share of API requests answered 503, 0..1. */
  errorRate: number;
  /** Added to every API response. */
  latencyMs: number;
  /** Every API request is answered 503. */
  outage: boolean;
  /** Share of requests delayed by slowMs (beyond any client's timeout). */
  slowRate: number;
  slowMs: number;
  /** Share of accepted submissions whose response is lost (502 after processing): the client retries a request CONOCER already has. */
  duplicateReplayRate: number;
}

export const NO_FAULTS: Faults = { errorRate: 0, latencyMs: 0, outage: false, slowRate: 0, slowMs: 0, duplicateReplayRate: 0 };

export interface SandboxOptions {
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  /** A submission is IN_REVIEW this long after it arrives ... */
  reviewAfterMs: number;
  /** ... and decided this long after it arrives. */
  decisionAfterMs: number;
  /** CONOCER's evaluators find a candidate competent from this final score on. */
  approvalScore: number;
  faults: Faults;
}

export const DEFAULT_SANDBOX_OPTIONS: SandboxOptions = {
  clientId: 'academy',
  clientSecret: 'academy-sandbox-secret',
  tokenTtlSeconds: 3600,
  reviewAfterMs: 5_000,
  decisionAfterMs: 15_000,
  approvalScore: 85,
  faults: NO_FAULTS,
};

interface Submission {
  folio: string;
  idempotencyKey: string;
  curp: string;
  candidateName: string;
  standardCode: string;
  finalScore: number;
  receivedAt: number;
  /** The request's body as it arrived (the first time: a repeated key is answered, not stored). */
  request: unknown;
}

interface Standard extends RenecStandard {
  active: boolean;
  updatedAt: Date;
}

export interface SandboxStats {
  submissions: number;
  /** Requests that repeated an idempotency key already received (answered with the same folio). */
  duplicateAttempts: number;
  /** How many requests each idempotency key sent (a retry after a lost response counts twice here). */
  attemptsByKey: Record<string, number>;
  statusChecks: number;
  tokensIssued: number;
  faultsInjected: number;
  /** Requests as they arrive (before any fault or answer), by method and route. */
  received: Record<string, number>;
}

type Handler = (req: http.IncomingMessage, body: unknown, url: URL) => Promise<[number, unknown]> | [number, unknown];

/**
 * A stand-in for CONOCER's certification API, since the real one is not reachable: the project's
 * tests and `npm start` talk to it over HTTP. State lives in memory.
 */
export class ConocerSandbox {
  readonly options: SandboxOptions;
  private faults: Faults;
  private readonly tokens = new Map<string, number>();
  private readonly byFolio = new Map<string, Submission>();
  private readonly byKey = new Map<string, Submission>();
  private readonly attempts = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly standards = new Map<string, Standard>();
  private counters = { duplicateAttempts: 0, statusChecks: 0, tokensIssued: 0, faultsInjected: 0 };
  private readonly server: http.Server;
  private readonly routes: [string, RegExp, Handler][];

  constructor(options: Partial<SandboxOptions> = {}) {
    this.options = { ...DEFAULT_SANDBOX_OPTIONS, ...options, faults: { ...NO_FAULTS, ...options.faults } };
    this.faults = this.options.faults;
    for (const standard of RENEC_STANDARDS) this.standards.set(standard.code, { ...standard, active: true, updatedAt: RENEC_SNAPSHOT_AT });
    this.routes = [
      ['POST', /^\/oauth\/token$/, (req, body) => this.token(req, body)],
      ['GET', /^\/v1\/standards$/, (_req, _body, url) => this.listStandards(url)],
      ['POST', /^\/v1\/certification-requests$/, (_req, body) => this.submit(body)],
      [
        'GET',
        /^\/v1\/certification-requests\/([^/]+)$/,
        (_req, _body, url) => this.status(decodeURIComponent(url.pathname.split('/')[3]!)),
      ],
      ['GET', /^\/v1\/certificates\/([^/]+)$/, (_req, _body, url) => this.certificate(decodeURIComponent(url.pathname.split('/')[3]!))],
    ];
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
  }

  listen(port = 0, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(`http://${host}:${(this.server.address() as AddressInfo).port}`));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  setFaults(faults: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...faults };
    return this.faults;
  }

  stats(): SandboxStats {
    return {
      submissions: this.byKey.size,
      attemptsByKey: Object.fromEntries(this.attempts),
      received: Object.fromEntries(this.received),
      ...this.counters,
    };
  }

  /** The certification request CONOCER accepted under this idempotency key, as it was sent; null when none was. */
  requestReceived(idempotencyKey: string): unknown {
    return this.byKey.get(idempotencyKey)?.request ?? null;
  }

  /** CONOCER publishes a new or changed standard (what incremental sync picks up). */
  publishStandard(standard: Partial<Standard> & { code: string }, at = new Date()): Standard {
    const current = this.standards.get(standard.code);
    const next: Standard = {
      code: standard.code,
      title: standard.title ?? current?.title ?? standard.code,
      level: standard.level ?? current?.level ?? 1,
      sector: standard.sector ?? current?.sector ?? 'SIN SECTOR',
      committee: standard.committee ?? current?.committee ?? null,
      renecId: standard.renecId ?? current?.renecId ?? '0',
      sectorId: standard.sectorId ?? current?.sectorId ?? '0',
      active: standard.active ?? true,
      updatedAt: at,
    };
    this.standards.set(next.code, next);
    return next;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://conocer');
    const send = (status: number, body: unknown) => {
      if (res.headersSent) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/admin/')) return send(...this.admin(req.method ?? 'GET', url, body));
      if (url.pathname.startsWith('/health')) return send(200, { status: 'ok' });
      const route = `${req.method} ${url.pathname.replace(/\/v1\/(certification-requests|certificates)\/[^/]+$/, '/v1/$1/:folio')}`;
      this.received.set(route, (this.received.get(route) ?? 0) + 1);
      // Faults apply to the API only.
      if (this.faults.outage || Math.random() < this.faults.errorRate) {
        this.counters.faultsInjected += 1;
        return send(503, { error: 'SERVICE_UNAVAILABLE', message: 'El servicio no está disponible, intente más tarde' });
      }
      if (this.faults.latencyMs > 0) await sleep(this.faults.latencyMs);
      if (this.faults.slowRate > 0 && Math.random() < this.faults.slowRate) {
        this.counters.faultsInjected += 1;
        await sleep(this.faults.slowMs);
      }
      const handler = this.routes.find(([method, pattern]) => method === req.method && pattern.test(url.pathname));
      if (!handler) return send(404, { error: 'NOT_FOUND', message: 'Recurso no encontrado' });
      if (url.pathname !== '/oauth/token' && !this.authorized(req))
        return send(401, { error: 'INVALID_TOKEN', message: 'Token inválido o expirado' });
      const [status, payload] = await handler[2](req, body, url);
      // The request was processed, but the response never arrives: the client will send it again.
      if (handler[1].source.includes('certification-requests$') && status < 300 && Math.random() < this.faults.duplicateReplayRate) {
        this.counters.faultsInjected += 1;
        req.socket.destroy();
        return;
      }
      send(status, payload);
    } catch (error) {
      send(error instanceof BadRequest ? 400 : 500, {
        error: error instanceof BadRequest ? 'BAD_REQUEST' : 'INTERNAL_ERROR',
        message: (error as Error).message,
      });
    }
  }

  private token(req: http.IncomingMessage, body: unknown): [number, unknown] {
    const form = typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : ((body ?? {}) as Record<string, string>);
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) [clientId, clientSecret] = Buffer.from(basic[1]!, 'base64').toString().split(':', 2) as [string, string];
    if (form.grant_type !== 'client_credentials') return [400, { error: 'unsupported_grant_type' }];
    if (clientId !== this.options.clientId || clientSecret !== this.options.clientSecret) return [401, { error: 'invalid_client' }];
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, Date.now() + this.options.tokenTtlSeconds * 1000);
    this.counters.tokensIssued += 1;
    return [200, { access_token: token, token_type: 'Bearer', expires_in: this.options.tokenTtlSeconds }];
  }

  private authorized(req: http.IncomingMessage): boolean {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expires = token ? this.tokens.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  }

  private listStandards(url: URL): [number, unknown] {
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const pageSize = Math.min(500, Math.max(1, Number(url.searchParams.get('pageSize') ?? 100) || 100));
    const since = url.searchParams.get('updatedSince');
    const sinceTime = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
    if (since && Number.isNaN(sinceTime)) return [400, { error: 'BAD_REQUEST', message: 'updatedSince debe ser una fecha ISO 8601' }];
    const matching = [...this.standards.values()]
      .filter((standard) => standard.updatedAt.getTime() > sinceTime)
      .sort((a, b) => a.code.localeCompare(b.code));
    const items = matching
      .slice((page - 1) * pageSize, page * pageSize)
      .map((standard) => ({ ...standard, updatedAt: standard.updatedAt.toISOString() }));
    return [200, { items, page, pageSize, total: matching.length, nextPage: page * pageSize < matching.length ? page + 1 : null }];
  }

  private submit(body: unknown): [number, unknown] {
    const request = (body ?? {}) as {
      idempotencyKey?: unknown;
      candidate?: { curp?: unknown; name?: unknown };
      standardCode?: unknown;
      evidence?: { summary?: unknown; finalScore?: unknown };
      evaluator?: { name?: unknown };
      evaluation?: {
        judgement?: unknown;
        evaluator?: { id?: unknown; name?: unknown } | null;
        evidenceCount?: unknown;
        judgedAt?: unknown;
      };
    };
    const key = typeof request.idempotencyKey === 'string' ? request.idempotencyKey : '';
    if (key) this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    const existing = this.byKey.get(key);
    if (existing) {
      this.counters.duplicateAttempts += 1;
      return [
        200,
        { folio: existing.folio, status: this.stateOf(existing).status, receivedAt: new Date(existing.receivedAt).toISOString() },
      ];
    }
    const details: { field: string; message: string }[] = [];
    const curp = typeof request.candidate?.curp === 'string' ? request.candidate.curp : '';
    const code = typeof request.standardCode === 'string' ? request.standardCode : '';
    const summary = typeof request.evidence?.summary === 'string' ? request.evidence.summary : '';
    const score = request.evidence?.finalScore;
    if (!/^[\w-]{8,100}$/.test(key)) details.push({ field: 'idempotencyKey', message: 'requerido (8 a 100 caracteres)' });
    const problem = curpProblem(curp);
    if (problem)
      details.push({
        field: 'candidate.curp',
        message:
          problem === 'check-digit'
            ? 'dígito verificador incorrecto'
            : problem === 'date'
              ? 'fecha de nacimiento inválida'
              : 'formato de CURP inválido',
      });
    if (typeof request.candidate?.name !== 'string' || request.candidate.name.trim() === '')
      details.push({ field: 'candidate.name', message: 'requerido' });
    if (!EC_CODE_PATTERN.test(code)) details.push({ field: 'standardCode', message: 'formato ECxxxx(.xx) requerido' });
    else if (!this.standards.get(code)?.active)
      details.push({ field: 'standardCode', message: `${code} no es un estándar vigente del RENEC` });
    if (summary.trim().length < 20)
      details.push({ field: 'evidence.summary', message: 'el resumen de evidencias requiere al menos 20 caracteres' });
    if (typeof score !== 'number' || score < 0 || score > 100)
      details.push({ field: 'evidence.finalScore', message: 'calificación de 0 a 100 requerida' });
    if (typeof request.evaluator?.name !== 'string' || request.evaluator.name.trim() === '')
      details.push({ field: 'evaluator.name', message: 'requerido' });
    details.push(...evaluationProblems(request.evaluation));
    if (details.length > 0) return [422, { error: 'VALIDATION_FAILED', message: 'La solicitud no cumple los requisitos', details }];
    const submission: Submission = {
      folio: `CONOCER-${new Date().getUTCFullYear()}-${randomBytes(4).toString('hex').toUpperCase()}${randomInt(10)}`,
      idempotencyKey: key,
      curp,
      candidateName: String(request.candidate!.name),
      standardCode: code,
      finalScore: score as number,
      receivedAt: Date.now(),
      request: body,
    };
    this.byKey.set(key, submission);
    this.byFolio.set(submission.folio, submission);
    return [201, { folio: submission.folio, status: 'SUBMITTED', receivedAt: new Date(submission.receivedAt).toISOString() }];
  }

  private status(folio: string): [number, unknown] {
    this.counters.statusChecks += 1;
    const submission = this.byFolio.get(folio);
    if (!submission) return [404, { error: 'NOT_FOUND', message: `Folio ${folio} inexistente` }];
    return [200, { folio, ...this.stateOf(submission) }];
  }

  private certificate(folio: string): [number, unknown] {
    const submission = this.byFolio.get(folio);
    if (!submission || this.stateOf(submission).status !== 'APPROVED')
      return [404, { error: 'NOT_FOUND', message: `No hay certificado con folio ${folio}` }];
    return [
      200,
      {
        folio,
        standardCode: submission.standardCode,
        holder: { name: submission.candidateName, curp: `${submission.curp.slice(0, 4)}**********${submission.curp.slice(14)}` },
        issuedAt: new Date(submission.receivedAt + this.options.decisionAfterMs).toISOString(),
      },
    ];
  }

  /** Where a submission stands now: it moves on with time alone. */
  private stateOf(submission: Submission): { status: string; reason?: string; updatedAt: string } {
    const age = Date.now() - submission.receivedAt;
    if (age < this.options.reviewAfterMs) return { status: 'SUBMITTED', updatedAt: new Date(submission.receivedAt).toISOString() };
    if (age < this.options.decisionAfterMs)
      return { status: 'IN_REVIEW', updatedAt: new Date(submission.receivedAt + this.options.reviewAfterMs).toISOString() };
    const decidedAt = new Date(submission.receivedAt + this.options.decisionAfterMs).toISOString();
    if (submission.finalScore >= this.options.approvalScore) return { status: 'APPROVED', updatedAt: decidedAt };
    return {
      status: 'REJECTED',
      reason: `Juicio: todavía no competente. La evaluación (${submission.finalScore}) no alcanza el nivel de competencia requerido (${this.options.approvalScore}).`,
      updatedAt: decidedAt,
    };
  }

  private admin(method: string, url: URL, body: unknown): [number, unknown] {
    if (method === 'GET' && url.pathname === '/admin/stats') return [200, this.stats()];
    const requested = /^\/admin\/requests\/([^/]+)$/.exec(url.pathname);
    if (method === 'GET' && requested) {
      const request = this.requestReceived(decodeURIComponent(requested[1]!));
      return request ? [200, request] : [404, { error: 'NOT_FOUND', message: 'Solicitud no recibida' }];
    }
    if (method === 'POST' && url.pathname === '/admin/faults') return [200, this.setFaults((body ?? {}) as Partial<Faults>)];
    if (method === 'POST' && url.pathname === '/admin/standards') {
      const standard = body as Partial<Standard> & { code?: string };
      if (!standard?.code || !EC_CODE_PATTERN.test(standard.code)) return [400, { error: 'BAD_REQUEST', message: 'code requerido' }];
      return [200, this.publishStandard(standard as Standard & { code: string })];
    }
    return [404, { error: 'NOT_FOUND', message: 'Recurso no encontrado' }];
  }
}

/**
 * CONOCER certifies on an evaluator's judgement: the request carries it, COMPETENT, and when it
 * rests on evidence (evidenceCount > 0) the evaluator who gave it.
 */
function evaluationProblems(evaluation: unknown): { field: string; message: string }[] {
  if (typeof evaluation !== 'object' || evaluation === null) return [{ field: 'evaluation', message: 'requerida (juicio de competencia)' }];
  const { judgement, evaluator, evidenceCount, judgedAt } = evaluation as {
    judgement?: unknown;
    evaluator?: { id?: unknown; name?: unknown } | null;
    evidenceCount?: unknown;
    judgedAt?: unknown;
  };
  const problems: { field: string; message: string }[] = [];
  if (judgement !== 'COMPETENT')
    problems.push({
      field: 'evaluation.judgement',
      message: judgement === 'NOT_YET_COMPETENT' ? 'el juicio es todavía no competente' : 'se requiere el juicio de competente',
    });
  if (typeof evidenceCount !== 'number' || !Number.isInteger(evidenceCount) || evidenceCount < 0)
    problems.push({ field: 'evaluation.evidenceCount', message: 'número entero no negativo requerido' });
  else if (evidenceCount > 0) {
    if (typeof evaluator?.id !== 'string' || evaluator.id === '')
      problems.push({ field: 'evaluation.evaluator.id', message: 'requerido cuando el juicio se basa en evidencias' });
    if (typeof evaluator?.name !== 'string' || evaluator.name.trim() === '')
      problems.push({ field: 'evaluation.evaluator.name', message: 'requerido cuando el juicio se basa en evidencias' });
  }
  if (typeof judgedAt !== 'string' || Number.isNaN(Date.parse(judgedAt)))
    problems.push({ field: 'evaluation.judgedAt', message: 'fecha ISO 8601 requerida' });
  return problems;
}

class BadRequest extends Error {}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new BadRequest('Cuerpo demasiado grande');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  if (String(req.headers['content-type'] ?? '').includes('application/json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BadRequest('JSON inválido');
    }
  }
  return text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
