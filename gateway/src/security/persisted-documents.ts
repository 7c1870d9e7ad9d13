import { createHash } from 'node:crypto';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../gateway-context';
import type { GatewayMetrics } from '../telemetry/metrics';

/**
 * `enforce`: only the first-party clients' persisted documents run, unless the tenant's
 * settings allow arbitrary documents (production). `allow`: any document runs (development).
 */
export type DocumentPolicy = 'enforce' | 'allow';

/** Automatic persisted queries (APQ) registered by clients that may send their own documents, per gateway. */
const APQ_CAPACITY = 10_000;

export const UNLISTED_DOCUMENT = 'This operation is not one of the published documents: send a persisted document by its id';

export class UnlistedDocumentError extends GraphQLError {
  constructor() {
    super(UNLISTED_DOCUMENT, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

/**
 * The persisted documents the gateway accepts, by any of the ways clients name them: the
 * GraphQL-over-HTTP `documentId` ("sha256:<hex>"), Apollo's APQ hash (`extensions.persistedQuery`,
 * the hex alone), or the document's text itself.
 */
export class PersistedDocuments {
  /** Registered APQ documents (least recently used dropped first). */
  private readonly registered = new Map<string, string>();

  constructor(
    private readonly manifest: ReadonlyMap<string, string>,
    readonly policy: DocumentPolicy,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The document of a GraphQL-over-HTTP `documentId`, if it is one of ours. */
  byId(documentId: string): string | undefined {
    return this.manifest.get(documentId);
  }

  isListed(query: string): boolean {
    return this.manifest.has(`sha256:${sha256(query)}`);
  }

  /** Whether this context may run this document (throws UnlistedDocumentError when not). */
  check(query: string, context: Pick<GatewayContext, 'arbitraryDocuments' | 'internal'>, transport: 'http' | 'ws'): void {
    if (this.policy === 'allow' || context.internal || context.arbitraryDocuments || this.isListed(query)) return;
    this.metrics.reject('unlisted-document', transport);
    throw new UnlistedDocumentError();
  }

  /** Whether a document needs its tenant's permission to run (so the tenant must be known first). */
  needsPermission(query: string): boolean {
    return this.policy === 'enforce' && !this.isListed(query);
  }

  /** Apollo's APQ store: our documents first (a hash-only request for one always runs), then registered ones. */
  readonly apqCache: KeyValueCache<string> = {
    get: async (key) => {
      const hash = withoutPrefix(key);
      return this.manifest.get(`sha256:${hash}`) ?? this.touch(hash);
    },
    set: async (key, query) => {
      const hash = withoutPrefix(key);
      if (this.manifest.has(`sha256:${hash}`)) return;
      this.registered.delete(hash);
      this.registered.set(hash, query);
      if (this.registered.size > APQ_CAPACITY) this.registered.delete(this.registered.keys().next().value!);
    },
    delete: async (key) => this.registered.delete(withoutPrefix(key)),
  };

  /**
   * The text of the document an HTTP request names (its `query`, or the document of its APQ
   * hash when we hold it); undefined when it names none we know (Apollo then answers).
   */
  sourceOf(request: { query?: unknown; extensions?: unknown }): string | undefined {
    if (typeof request.query === 'string') return request.query;
    const hash = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
    if (typeof hash !== 'string') return undefined;
    return this.manifest.get(`sha256:${hash}`) ?? this.registered.get(hash);
  }

  private touch(hash: string): string | undefined {
    const query = this.registered.get(hash);
    if (query !== undefined) {
      this.registered.delete(hash);
      this.registered.set(hash, query);
    }
    return query;
  }
}

/** Apollo Server prefixes the keys of its APQ store. */
function withoutPrefix(key: string): string {
  return key.startsWith('apq:') ? key.slice('apq:'.length) : key;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
