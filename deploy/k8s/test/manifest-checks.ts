import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The fields of the Kubernetes objects these checks read (the rest is the API server's business). */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

interface Probe {
  httpGet?: { path: string; port: string | number };
}

interface Container {
  name: string;
  image?: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  resources?: { requests?: { cpu?: string; memory?: string }; limits?: { cpu?: string; memory?: string } };
  securityContext?: SecurityContext;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  volumeMounts?: { name: string; mountPath: string }[];
}

interface SecurityContext {
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type: string };
}

interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec: {
    containers: Container[];
    securityContext?: SecurityContext;
    automountServiceAccountToken?: boolean;
    terminationGracePeriodSeconds?: number;
    volumes?: { name: string; emptyDir?: object; configMap?: { name: string } }[];
  };
}

interface IngressBackend {
  service?: { name: string; port: { name?: string; number?: number } };
}

interface IngressSpec {
  defaultBackend?: IngressBackend;
  tls?: { hosts?: string[]; secretName?: string }[];
  rules?: { host?: string; http?: { paths: { path: string; pathType: string; backend: IngressBackend }[] } }[];
}

interface NetworkPolicyPeer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}

interface NetworkPolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: { from?: NetworkPolicyPeer[]; ports?: { port?: string | number }[] }[];
}

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const IMAGE = 'ghcr.io/madfam/academy';
/** The services of the image (scripts/run-service.js) the manifests run. */
export const SERVICES = [
  'gateway',
  'workers',
  'users',
  'courses',
  'certifications',
  'conocer',
  'impact',
  'notifications',
  'media',
  'commerce',
  'migrate',
];
/** Settings whose value is a credential (or carries one, like a URL with a password): a Secret's. */
export const SECRET_SETTING = /SECRET|KEY|PASSWORD|TOKEN|JWKS|^DATABASE_URL$|^DATABASE_APP_URL$|^DATABASE_READ_URL$|^REDIS_URL$|^SMTP_URL$/;
/** Values that are credentials whatever they are called. */
const SECRET_VALUE = /^(sk|rk|whsec)_|"d"\s*:|:\/\/[^/\s:@]+:[^/\s@]+@|-----BEGIN/;
/** Paths of the gateway that are not for the public: the kubelet and Prometheus reach the pod itself. */
export const INTERNAL_PATHS = ['/metrics', '/health/live', '/health/ready'];
/** `kubectl apply` keeps the whole object in an annotation, limited to 256 KiB. */
export const LAST_APPLIED_LIMIT = 262_144;

/** `kubectl kustomize <dir>`, parsed. */
export function render(dir: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(
      'kubectl is not installed: the manifest test renders deploy/k8s/overlays/* with `kubectl kustomize` (kubectl 1.27 or later)',
    );
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((document) => {
    if (document.errors.length > 0) throw new Error(`kubectl kustomize ${dir}: ${document.errors[0]!.message}`);
    return document.toJS() as K8sObject;
  });
}

export function matches(selector: Selector | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    if (expression.operator === 'In') return value !== undefined && (expression.values ?? []).includes(value);
    if (expression.operator === 'NotIn') return value === undefined || !(expression.values ?? []).includes(value);
    if (expression.operator === 'Exists') return value !== undefined;
    return value === undefined;
  });
  return byLabels && byExpressions;
}

const ofKind = (objects: K8sObject[], kind: string) => objects.filter((object) => object.kind === kind);
const id = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;
const template = (object: K8sObject) => object.spec!.template as PodTemplate;
const podLabels = (object: K8sObject) => template(object).metadata?.labels ?? {};
const envValue = (container: Container, name: string) => container.env?.find((entry) => entry.name === name)?.value;

/** CPU in cores, memory in bytes. */
export function quantity(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (!match) return Number.NaN;
  const factor = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

function resolvesPort(container: Container, port: string | number | undefined): boolean {
  return (container.ports ?? []).some((declared) => declared.name === port || declared.containerPort === port);
}

/**
 * What is wrong with a workload's pods: the image, the sizes, the security context, the probes
 * (Deployments), where each setting comes from.
 */
export function workloadViolations(objects: K8sObject[], expectedTag: RegExp): string[] {
  const problems: string[] = [];
  const configMaps = new Set(ofKind(objects, 'ConfigMap').map((object) => object.metadata.name));
  for (const workload of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
    const where = id(workload);
    const pod = template(workload).spec;
    if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service-account token`);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: the pod may run as root`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: the pod has no RuntimeDefault seccomp profile`);
    for (const volume of pod.volumes ?? [])
      if (volume.configMap && !configMaps.has(volume.configMap.name))
        problems.push(`${where}: mounts the missing ConfigMap ${volume.configMap.name}`);
    for (const container of pod.containers) {
      const at = `${where} ${container.name}`;
      const [image, tag] = (container.image ?? '').split(':');
      if (image !== IMAGE) problems.push(`${at}: runs ${container.image}, not ${IMAGE}`);
      if (!tag || tag === 'latest' || !expectedTag.test(tag))
        problems.push(`${at}: image tag ${tag ?? '(none)'} is not a pinned ${expectedTag}`);
      const service = container.args?.[0];
      if (!service || !SERVICES.includes(service)) problems.push(`${at}: runs no known service (${container.args?.join(' ')})`);
      else if (workload.kind === 'Deployment' && service !== workload.metadata.name) problems.push(`${at}: runs ${service}`);
      const { requests, limits } = container.resources ?? {};
      for (const resource of ['cpu', 'memory'] as const) {
        if (!requests?.[resource] || !limits?.[resource]) problems.push(`${at}: no ${resource} request and limit`);
        else if (!(quantity(requests[resource]) <= quantity(limits[resource])))
          problems.push(`${at}: ${resource} request ${requests[resource]} above its limit ${limits[resource]}`);
      }
      const security = container.securityContext ?? {};
      if (security.runAsNonRoot !== true || security.runAsUser !== 1000) problems.push(`${at}: not run as the non-root uid 1000`);
      if (security.allowPrivilegeEscalation !== false) problems.push(`${at}: may escalate privileges`);
      if (security.readOnlyRootFilesystem !== true) problems.push(`${at}: writable root filesystem`);
      if (!security.capabilities?.drop?.includes('ALL') || (security.capabilities.add ?? []).length > 0)
        problems.push(`${at}: keeps Linux capabilities`);
      if ((security.seccompProfile ?? pod.securityContext?.seccompProfile)?.type !== 'RuntimeDefault')
        problems.push(`${at}: no seccomp profile`);
      const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
      if (!tmp || !pod.volumes?.find((volume) => volume.name === tmp.name)?.emptyDir) problems.push(`${at}: no writable /tmp (emptyDir)`);
      if (workload.kind === 'Deployment') {
        const port = envValue(container, 'PORT');
        if (!port || !resolvesPort(container, Number(port))) problems.push(`${at}: listens on PORT=${port}, which it does not declare`);
        for (const [probe, path] of [
          ['livenessProbe', '/health/live'],
          ['readinessProbe', '/health/ready'],
        ] as const) {
          const get = container[probe]?.httpGet;
          if (get?.path !== path || !resolvesPort(container, get.port)) problems.push(`${at}: no ${probe} on ${path} at a declared port`);
        }
      }
      for (const entry of container.env ?? []) {
        const secretRef = entry.valueFrom?.secretKeyRef;
        if (SECRET_SETTING.test(entry.name) && (!secretRef || entry.value !== undefined))
          problems.push(`${at}: ${entry.name} is not taken from a Secret (secretKeyRef)`);
        if (entry.value !== undefined && SECRET_VALUE.test(entry.value))
          problems.push(`${at}: ${entry.name} holds a credential in plain text`);
        const configMapRef = entry.valueFrom?.configMapKeyRef;
        if (configMapRef && !configMaps.has(configMapRef.name))
          problems.push(`${at}: ${entry.name} refers to the missing ConfigMap ${configMapRef.name}`);
      }
      for (const source of container.envFrom ?? []) {
        if (source.secretRef) problems.push(`${at}: takes a whole Secret (envFrom), not the keys it needs`);
        if (source.configMapRef && !configMaps.has(source.configMapRef.name))
          problems.push(`${at}: reads the missing ConfigMap ${source.configMapRef.name}`);
      }
    }
  }
  return problems;
}

/** Secrets committed as objects, or credentials put in ConfigMaps. */
export function secretViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'Secret') problems.push(`${id(object)}: a Secret in the manifests (create it in the cluster)`);
    if (object.kind !== 'ConfigMap') continue;
    for (const [key, value] of Object.entries({ ...object.data, ...object.stringData })) {
      if (SECRET_SETTING.test(key)) problems.push(`${id(object)}: ${key} is a secret's setting`);
      if (SECRET_VALUE.test(value)) problems.push(`${id(object)}: ${key} holds a credential`);
    }
  }
  return problems;
}

/** The Secret keys the workloads reference, by Secret. */
export function referencedSecretKeys(objects: K8sObject[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const workload of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')])
    for (const container of template(workload).spec.containers)
      for (const entry of container.env ?? []) {
        const ref = entry.valueFrom?.secretKeyRef;
        if (ref) keys.set(ref.name, (keys.get(ref.name) ?? new Set()).add(ref.key));
      }
  return keys;
}

/** Services that select no Deployment (or several) or aim at ports the pods do not have; HPAs and PDBs with nothing to act on. */
export function wiringViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const deployments = ofKind(objects, 'Deployment');
  for (const service of ofKind(objects, 'Service')) {
    const spec = service.spec as {
      selector?: Record<string, string>;
      ports: { name?: string; port: number; targetPort?: string | number }[];
    };
    const selected = deployments.filter((deployment) => spec.selector && matches({ matchLabels: spec.selector }, podLabels(deployment)));
    if (!spec.selector || Object.keys(spec.selector).length === 0 || selected.length !== 1) {
      problems.push(`${id(service)}: selects ${selected.length} Deployments`);
      continue;
    }
    const container = template(selected[0]!).spec.containers[0]!;
    for (const port of spec.ports)
      if (!resolvesPort(container, port.targetPort ?? port.port))
        problems.push(`${id(service)}: port ${port.port} targets ${port.targetPort}, not a port of ${id(selected[0]!)}`);
  }
  for (const autoscaler of ofKind(objects, 'HorizontalPodAutoscaler')) {
    const target = (autoscaler.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
    const deployment = deployments.find((candidate) => target.kind === 'Deployment' && candidate.metadata.name === target.name);
    if (!deployment) problems.push(`${id(autoscaler)}: scales the missing ${target.kind}/${target.name}`);
    else if (deployment.spec!.replicas !== undefined)
      problems.push(`${id(autoscaler)}: ${id(deployment)} sets replicas, which every apply would restore over the autoscaler's`);
  }
  for (const budget of ofKind(objects, 'PodDisruptionBudget')) {
    const selector = (budget.spec as { selector: Selector }).selector;
    const selected = deployments.filter((deployment) => matches(selector, podLabels(deployment)));
    if (selected.length !== 1) problems.push(`${id(budget)}: covers ${selected.length} Deployments`);
  }
  return problems;
}

/**
 * The Ingresses a request path on a host goes to: Exact first, then the longest Prefix, as the
 * Ingress API matches. Several when Ingresses declare the same path (controllers differ on which wins).
 */
export function ingressRoutesOf(objects: K8sObject[], host: string, requestPath: string): K8sObject[] {
  let best: { ingresses: K8sObject[]; score: number } = { ingresses: [], score: -1 };
  for (const ingress of ofKind(objects, 'Ingress'))
    for (const rule of (ingress.spec as IngressSpec).rules ?? []) {
      if (rule.host !== host) continue;
      for (const candidate of rule.http?.paths ?? []) {
        const prefix = candidate.path.replace(/\/+$/, '');
        const score =
          candidate.pathType === 'Exact'
            ? candidate.path === requestPath
              ? Number.MAX_SAFE_INTEGER
              : -1
            : requestPath === prefix || requestPath.startsWith(`${prefix}/`)
              ? prefix.split('/').length
              : -1;
        if (score < 0 || score < best.score) continue;
        best = score > best.score ? { ingresses: [ingress], score } : { ingresses: [...best.ingresses, ingress], score };
      }
    }
  return best.ingresses;
}

const DENY_ALL = 'nginx.ingress.kubernetes.io/denylist-source-range';
const deniesEveryone = (ingress: K8sObject) =>
  (ingress.metadata.annotations?.[DENY_ALL] ?? '')
    .split(',')
    .map((cidr) => cidr.trim())
    .includes('0.0.0.0/0');

/** Ingresses that lead anywhere but the gateway, expose its internal paths, or serve a host without TLS when TLS is due. */
export function ingressViolations(objects: K8sObject[], hosts: string[], tls: boolean): string[] {
  const problems: string[] = [];
  const gateway = ofKind(objects, 'Service').find((service) => service.metadata.name === 'gateway');
  const gatewayPorts = ((gateway?.spec as { ports?: { name?: string; port: number }[] } | undefined)?.ports ?? []).flatMap((port) => [
    port.name,
    port.port,
  ]);
  const ingresses = ofKind(objects, 'Ingress');
  if (ingresses.length === 0) problems.push('no Ingress');
  for (const ingress of ingresses) {
    const spec = ingress.spec as IngressSpec;
    const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((rule) => (rule.http?.paths ?? []).map((p) => p.backend))];
    for (const backend of backends.filter((candidate): candidate is IngressBackend => candidate !== undefined)) {
      const port = backend.service?.port.name ?? backend.service?.port.number;
      if (backend.service?.name !== 'gateway' || !gatewayPorts.includes(port))
        problems.push(`${id(ingress)}: routes to ${backend.service?.name ?? 'a non-Service backend'}:${port}, not the gateway Service`);
    }
    for (const rule of spec.rules ?? []) {
      if (!rule.host || !hosts.includes(rule.host)) problems.push(`${id(ingress)}: serves the host ${rule.host ?? '(any)'}`);
      if (tls && !(spec.tls ?? []).some((entry) => entry.secretName && entry.hosts?.includes(rule.host ?? '')))
        problems.push(`${id(ingress)}: ${rule.host} without TLS`);
    }
  }
  for (const host of hosts) {
    for (const internal of INTERNAL_PATHS) {
      for (const ingress of ingressRoutesOf(objects, host, internal))
        if (!deniesEveryone(ingress)) problems.push(`${host}${internal}: public (through ${id(ingress)})`);
    }
    const api = ingressRoutesOf(objects, host, '/graphql');
    if (api.length === 0 || api.some(deniesEveryone)) problems.push(`${host}/graphql: not public`);
  }
  return problems;
}

/** Who may open a connection to each workload's pods, by the NetworkPolicies (null: anyone). */
export function allowedPeers(objects: K8sObject[], labels: Record<string, string>): string[] | null {
  const policies = ofKind(objects, 'NetworkPolicy').map((policy) => policy.spec as unknown as NetworkPolicySpec);
  const isolating = policies.filter(
    (policy) => (policy.policyTypes ?? ['Ingress']).includes('Ingress') && matches(policy.podSelector, labels),
  );
  if (isolating.length === 0) return null;
  const peers = new Set<string>();
  for (const rule of isolating.flatMap((policy) => policy.ingress ?? [])) {
    if (!rule.from || rule.from.length === 0) return null;
    for (const peer of rule.from) {
      if (peer.ipBlock) peers.add(`ip ${peer.ipBlock.cidr}`);
      const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      const pods = Object.entries(peer.podSelector?.matchLabels ?? {})
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
      if (peer.namespaceSelector && !namespace) peers.add('namespaces matching a selector');
      else if (namespace) peers.add(`namespace ${namespace}${pods ? ` pods ${pods}` : ''}`);
      else if (peer.podSelector) peers.add(pods ? `pods ${pods}` : 'every pod of the namespace');
    }
  }
  return [...peers].sort();
}

/** The ServiceMonitor endpoint that scrapes each Service, and the PrometheusRule's groups. */
export function monitoringViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const monitors = ofKind(objects, 'ServiceMonitor').map(
    (monitor) => monitor.spec as { selector: Selector; endpoints: { port: string; path?: string; honorLabels?: boolean }[] },
  );
  for (const service of ofKind(objects, 'Service')) {
    const ports = (service.spec as { ports: { name?: string }[] }).ports.map((port) => port.name);
    const scraped = monitors.some(
      (monitor) =>
        matches(monitor.selector, service.metadata.labels) &&
        monitor.endpoints.some(
          (endpoint) => ports.includes(endpoint.port) && endpoint.path === '/metrics' && endpoint.honorLabels === true,
        ),
    );
    if (!scraped) problems.push(`${id(service)}: no ServiceMonitor scrapes its /metrics (keeping the series' own service label)`);
  }
  return problems;
}
