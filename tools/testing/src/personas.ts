import type { Persona } from '@academy/platform';
import { TEST_PASSWORD, type TestTenant } from './fixtures';
import type { RunningSupergraph } from './supergraph';

/**
 * Requests to the supergraph as one of a fixture tenant's personas: each signs in once, through
 * the real login, and the answer's body is returned.
 */
export function asPersonaOf(supergraph: RunningSupergraph, fixture: TestTenant) {
  const tokens = new Map<Persona, Promise<string>>();
  return async <T = Record<string, unknown>>(persona: Persona, query: string, variables: Record<string, unknown> = {}) => {
    if (!tokens.has(persona)) tokens.set(persona, supergraph.login(fixture.users[persona].email, TEST_PASSWORD, fixture.tenant.slug));
    return (await supergraph.request<T>(query, { tenant: fixture.tenant.slug, token: await tokens.get(persona)!, variables })).body;
  };
}
