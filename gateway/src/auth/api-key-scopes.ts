import {
  getNamedType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { ApiKeyScope } from '@academy/platform';

/**
 * What each API key scope lets a tenant's integration run: the root fields it may start from
 * (deny by default: a field not listed is refused), and the fields below them that need a scope
 * of their own. The subgraphs see the integration as a TENANT_ADMIN of its tenant; this table is
 * what keeps it to its scopes.
 */
export const API_KEY_ROOT_FIELDS: Record<ApiKeyScope, { query: string[]; mutation: string[] }> = {
  READ_CATALOGUE: {
    query: ['courses', 'course', 'competencyStandards', 'competencyStandard', 'solarpunkCompliance', 'tenantBranding', 'viewerTenant'],
    mutation: [],
  },
  READ_REPORTS: { query: ['impactReport', 'impactEvents', 'tenantAnalytics', 'viewerTenant'], mutation: [] },
  READ_CERTIFICATES: { query: ['certificate', 'verifyCertificate', 'dc3s', 'conocerSubmissions', 'viewerTenant'], mutation: [] },
  MANAGE_ENROLLMENTS: { query: ['enrollment', 'course', 'courses', 'users', 'user', 'viewerTenant'], mutation: [] },
};

/** Fields below the root that need a scope of their own, wherever they are reached from. */
export const API_KEY_NESTED_SCOPES: Record<string, ApiKeyScope> = {
  'Course.enrollments': 'MANAGE_ENROLLMENTS',
  'User.enrollments': 'MANAGE_ENROLLMENTS',
  'User.email': 'MANAGE_ENROLLMENTS',
  'User.certificates': 'READ_CERTIFICATES',
  'Enrollment.certificate': 'READ_CERTIFICATES',
  'Enrollment.dc3': 'READ_CERTIFICATES',
  'Certificate.conocerSubmission': 'READ_CERTIFICATES',
  'User.impact': 'READ_REPORTS',
};

/** What no integration reads: personal data, the tenant's administration, one person's own things. */
export const API_KEY_NEVER = new Set([
  'User.curp',
  'User.status',
  'User.locale',
  'User.lastLoginAt',
  'User.notifications',
  'User.notificationPreferences',
  'User.avatar',
  'Tenant.settings',
  'Tenant.userCount',
  'Course.viewerEnrollment',
  'Query.me',
  'Query.apiKeys',
  'Query.tenants',
]);

/**
 * Why an API key with these scopes may not run this operation (the first field it may not
 * reach), or null when it may. Subscriptions are never an integration's.
 */
export function apiKeyRefusal(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  scopes: readonly ApiKeyScope[],
): string | null {
  if (operation.operation === 'subscription') return 'API keys do not subscribe';
  const kind = operation.operation;
  const roots = new Set(scopes.flatMap((scope) => API_KEY_ROOT_FIELDS[scope][kind]));
  const rootType = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  const typeInfo = new TypeInfo(schema);
  let refusal: string | null = null;
  // The operation's own selections and the fragments it spreads (other operations of the document are not run).
  const reachable: DocumentNode = {
    ...document,
    definitions: document.definitions.filter((definition) => definition === operation || definition.kind === 'FragmentDefinition'),
  };
  visit(
    reachable,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (refusal) return false;
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return undefined;
        const coordinate = `${parent.name}.${node.name.value}`;
        const needed = API_KEY_NESTED_SCOPES[coordinate];
        const allowed =
          !API_KEY_NEVER.has(coordinate) &&
          (parent === rootType || getNamedType(parent) === rootType ? roots.has(node.name.value) : true) &&
          (!needed || scopes.includes(needed));
        if (!allowed) refusal = `This API key's scopes (${scopes.join(', ') || 'none'}) do not allow ${coordinate}`;
        return allowed ? undefined : false;
      },
    }),
  );
  return refusal;
}
