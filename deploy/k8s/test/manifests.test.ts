import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DRAIN_TIMEOUT_MS } from '@academy/graphql-http';
import {
  allowedPeers,
  ingressViolations,
  LAST_APPLIED_LIMIT,
  monitoringViolations,
  referencedSecretKeys,
  render,
  REPO_ROOT,
  secretViolations,
  wiringViolations,
  workloadViolations,
  type K8sObject,
} from './manifest-checks';

/** Each overlay as `kubectl apply -k` would send it, checked object by object (deploy/k8s, docs/kubernetes.md). */
const OVERLAYS = [
  { overlay: 'dev', namespace: 'academy-dev', tag: /^dev$/, hosts: ['*.academy.localhost'], tls: false },
  { overlay: 'prod', namespace: 'academy', tag: /^\d+\.\d+\.\d+$/, hosts: ['*.academy.mx'], tls: true },
];

const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const named = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
type PodSpec = {
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; configMap?: { name: string } }[];
  containers: {
    args?: string[];
    env?: { name: string; value?: string }[];
    volumeMounts?: { name: string; mountPath: string }[];
    lifecycle?: { preStop?: { sleep?: { seconds: number } } };
  }[];
};
const podSpec = (deployment: K8sObject) => (deployment.spec!.template as { spec: PodSpec }).spec;
const env = (deployment: K8sObject, name: string) => podSpec(deployment).containers[0]!.env?.find((entry) => entry.name === name)?.value;
const podLabels = (workload: K8sObject) => (workload.spec!.template as { metadata: { labels: Record<string, string> } }).metadata.labels;
const componentOf = (object: K8sObject) => object.metadata.labels?.['app.kubernetes.io/component'];

describe.each(OVERLAYS)('deploy/k8s/overlays/$overlay', ({ overlay, namespace, tag, hosts, tls }) => {
  let objects: K8sObject[];
  beforeAll(() => {
    objects = render(path.join(REPO_ROOT, 'deploy/k8s/overlays', overlay));
  });
  const kinds = () => objects.reduce<Record<string, number>>((count, o) => ({ ...count, [o.kind]: (count[o.kind] ?? 0) + 1 }), {});
  const deployments = () => objects.filter((o) => o.kind === 'Deployment');

  it(`renders the platform into the namespace ${namespace}, under the restricted Pod Security profile`, () => {
    expect(kinds()).toEqual({
      Namespace: 1,
      ConfigMap: 3,
      Deployment: 10,
      Service: 10,
      Job: 1,
      Ingress: 2,
      NetworkPolicy: 4,
      ServiceMonitor: 1,
      PrometheusRule: 1,
      ...(overlay === 'prod' ? { HorizontalPodAutoscaler: 2, PodDisruptionBudget: 10 } : {}),
    });
    expect(
      objects
        .filter((o) => o.kind === 'Deployment')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['certifications', 'commerce', 'conocer', 'courses', 'gateway', 'impact', 'media', 'notifications', 'users', 'workers']);
    expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== namespace).map((o) => o.metadata.name)).toEqual([]);
    expect(named(objects, 'Namespace', namespace).metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  it('runs every Deployment and the Job from the pinned image, sized, probed (Deployments), non-root, with credentials from the Secret', () => {
    expect(workloadViolations(objects, tag)).toEqual([]);
  });

  it('commits no Secret and no credential, and references only the keys docs/kubernetes.md has operators create', () => {
    expect(secretViolations(objects)).toEqual([]);
    const documented = new Set([...read('docs/kubernetes.md').matchAll(/--from-(?:literal|file)=([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]!));
    const referenced = referencedSecretKeys(objects);
    expect([...referenced.keys()]).toEqual(['academy-secrets']);
    expect([...referenced.get('academy-secrets')!].sort()).toEqual([...documented].sort());
  });

  it('wires every Service, autoscaler and disruption budget to a Deployment and its ports', () => {
    expect(wiringViolations(objects)).toEqual([]);
  });

  it('exposes the gateway only, and not its /metrics and /health', () => {
    expect(ingressViolations(objects, hosts, tls)).toEqual([]);
  });

  it('lets into each pod only what a NetworkPolicy names: the gateway from the ingress controller, subgraphs from the gateway, Prometheus', () => {
    const peersOf = (component: string | undefined) => {
      const workload = objects.find((o) => (o.kind === 'Deployment' || o.kind === 'Job') && componentOf(o) === component)!;
      return allowedPeers(objects, podLabels(workload));
    };
    expect({
      gateway: peersOf('gateway'),
      subgraph: peersOf('subgraph'),
      workers: peersOf('workers'),
      migration: peersOf('migration'),
      aPodAddedLater: allowedPeers(objects, { 'app.kubernetes.io/name': 'new-service' }),
    }).toEqual({
      gateway: ['namespace ingress-nginx', 'namespace monitoring'],
      subgraph: ['namespace monitoring', 'pods app.kubernetes.io/name=gateway'],
      workers: ['namespace monitoring'],
      migration: [],
      aPodAddedLater: [],
    });
    for (const subgraph of deployments().filter((d) => componentOf(d) === 'subgraph'))
      expect(allowedPeers(objects, podLabels(subgraph))).toEqual(peersOf('subgraph'));
  });

  it("runs the gateway on the repository's supergraph.graphql, and reaches every subgraph of supergraph.yaml by its Service", () => {
    const gateway = named(objects, 'Deployment', 'gateway');
    const file = env(gateway, 'SUPERGRAPH_FILE')!;
    const mount = podSpec(gateway).containers[0]!.volumeMounts!.find((m) => m.mountPath === path.posix.dirname(file))!;
    const configMap = named(objects, 'ConfigMap', podSpec(gateway).volumes!.find((v) => v.name === mount.name)!.configMap!.name);
    const current = configMap.data![path.posix.basename(file)] === read('supergraph.graphql');
    expect({ current, fix: current ? null : 'run `npm run compose`' }).toEqual({
      current: true,
      fix: null,
    });
    expect(JSON.stringify(configMap).length).toBeLessThan(LAST_APPLIED_LIMIT);

    const composed = Object.keys((parse(read('supergraph.yaml')) as { subgraphs: Record<string, unknown> }).subgraphs).sort();
    const routed = Object.fromEntries(
      env(gateway, 'SUBGRAPH_URLS')!
        .split(',')
        .map((pair) => pair.split('=', 2) as [string, string]),
    );
    expect(Object.keys(routed).sort()).toEqual(composed);
    for (const [name, url] of Object.entries(routed)) {
      const { hostname, port, pathname } = new URL(url);
      const service = named(objects, 'Service', hostname);
      const selector = (service?.spec as { selector: Record<string, string> } | undefined)?.selector ?? {};
      const target = deployments().find((d) => Object.entries(selector).every(([k, v]) => podLabels(d)[k] === v));
      expect({
        name,
        pathname,
        port: (service?.spec as { ports: { port: number }[] })?.ports[0]?.port,
        runs: podSpec(target!).containers[0]!.args,
      }).toEqual({
        name,
        pathname: '/graphql',
        port: Number(port),
        runs: [name],
      });
    }
  });

  it('gives each pod time to leave the endpoints and drain (DRAIN_TIMEOUT_MS), and the workers their job lock', () => {
    for (const deployment of deployments().filter((d) => ['gateway', 'subgraph'].includes(componentOf(d) ?? ''))) {
      const pod = podSpec(deployment);
      const preStop = pod.containers[0]!.lifecycle?.preStop?.sleep?.seconds ?? 0;
      expect({
        name: deployment.metadata.name,
        preStop: preStop > 0,
        fits: (pod.terminationGracePeriodSeconds ?? 30) > preStop + DRAIN_TIMEOUT_MS / 1000,
      }).toEqual({
        name: deployment.metadata.name,
        preStop: true,
        fits: true,
      });
    }
    const lockMs = Number(
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('academy-workers-config'))?.data?.WORKER_LOCK_MS,
    );
    expect(lockMs).toBeGreaterThan(0);
    expect(podSpec(named(objects, 'Deployment', 'workers')).terminationGracePeriodSeconds! * 1000).toBeGreaterThan(lockMs);
  });

  it('has Prometheus scrape every service and alert on the rules of ops/prometheus/alerts.yml', () => {
    expect(monitoringViolations(objects)).toEqual([]);
    const rules = objects.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.map((rule) => rule.spec!.groups)).toEqual([(parse(read('ops/prometheus/alerts.yml')) as { groups: unknown }).groups]);
  });

  if (overlay === 'dev')
    it('runs one replica of everything, with no autoscaler or disruption budget to hold it', () => {
      expect(deployments().filter((d) => d.spec!.replicas !== 1)).toEqual([]);
    });

  if (overlay === 'prod')
    it('autoscales the gateway on CPU and the workers on the queue depth they export; a disruption budget for every Deployment', () => {
      const autoscalers = Object.fromEntries(
        objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => [o.metadata.name, o.spec as Record<string, unknown>]),
      );
      expect(autoscalers.gateway).toMatchObject({
        scaleTargetRef: { kind: 'Deployment', name: 'gateway' },
        minReplicas: 2,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }],
      });
      const [queueDepth] = autoscalers.workers!.metrics as {
        type: string;
        external: { metric: { name: string; selector: { matchExpressions: { values: string[] }[] } } };
      }[];
      expect(queueDepth!.type).toBe('External');
      // The metric and its states are the workers' own (workers/src/worker-metrics.ts).
      const exported = read('workers/src/worker-metrics.ts');
      expect(exported).toContain(`name: '${queueDepth!.external.metric.name}'`);
      const states = /const JOB_STATES = \[([^\]]*)\]/.exec(exported)![1]!;
      for (const state of queueDepth!.external.metric.selector.matchExpressions[0]!.values) expect(states).toContain(`'${state}'`);
      expect(
        objects
          .filter((o) => o.kind === 'PodDisruptionBudget')
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual(
        deployments()
          .map((d) => d.metadata.name)
          .sort(),
      );
      expect(deployments().filter((d) => !['gateway', 'workers'].includes(d.metadata.name) && (d.spec!.replicas as number) < 2)).toEqual(
        [],
      );
    });
});

describe('the manifest checks', () => {
  it('bite: a probe missing, a root container, a tag `latest`, a password in plain text, a Secret, a stray Service, the public /metrics', () => {
    const objects = render(path.join(REPO_ROOT, 'deploy/k8s/overlays/prod'));
    const users = named(objects, 'Deployment', 'users');
    const container = podSpec(users).containers[0] as PodSpec['containers'][number] & Record<string, unknown>;
    delete container.readinessProbe;
    (container.securityContext as Record<string, unknown>).runAsNonRoot = false;
    container.image = 'ghcr.io/madfam/academy:latest';
    container.env!.push({ name: 'DATABASE_APP_PASSWORD', value: 'hunter2' });
    const broken: K8sObject[] = [
      ...objects,
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'academy-secrets' }, data: { GATEWAY_SECRET: 'c2VjcmV0' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'user' },
        spec: { selector: { 'app.kubernetes.io/name': 'user' }, ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'scrape' },
        spec: {
          rules: [
            {
              host: '*.academy.mx',
              http: { paths: [{ path: '/metrics', pathType: 'Exact', backend: { service: { name: 'users', port: { name: 'http' } } } }] },
            },
          ],
          tls: [{ hosts: ['*.academy.mx'], secretName: 'academy-tls' }],
        },
      },
    ];
    expect({
      workloads: workloadViolations(broken, /^\d+\.\d+\.\d+$/),
      secrets: secretViolations(broken),
      wiring: wiringViolations(broken),
      ingress: ingressViolations(broken, ['*.academy.mx'], true),
    }).toEqual({
      workloads: [
        'Deployment/users app: image tag latest is not a pinned /^\\d+\\.\\d+\\.\\d+$/',
        'Deployment/users app: not run as the non-root uid 1000',
        'Deployment/users app: no readinessProbe on /health/ready at a declared port',
        'Deployment/users app: DATABASE_APP_PASSWORD is not taken from a Secret (secretKeyRef)',
      ],
      secrets: ['Secret/academy-secrets: a Secret in the manifests (create it in the cluster)'],
      wiring: ['Service/user: selects 0 Deployments'],
      ingress: ['Ingress/scrape: routes to users:http, not the gateway Service', '*.academy.mx/metrics: public (through Ingress/scrape)'],
    });
  });
});
