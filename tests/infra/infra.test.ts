// The deployment files hold what operators rely on: a non-root image with a health check, a compose stack with
// health checks and no secrets in it, and a Helm chart whose probes, secrets and stickiness are as documented.
// No Docker engine or helm binary runs here: this parses the YAML files and reads the others as text.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { startTestServer } from '../helpers/server.ts';

/** the exit code of `node -e script`, as a container runtime would see it (async: the server runs in this process) */
function runNode(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

const infra = join(process.cwd(), 'infra');
const chart = join(infra, 'helm/loket');
const read = (path: string) => readFileSync(path, 'utf8');
const templates = Object.fromEntries(
  readdirSync(join(chart, 'templates')).map((name) => [name, read(join(chart, 'templates', name))]),
);

/** Values that look like a password or token written out, as opposed to a reference or an interpolation. */
function plaintextSecrets(value: unknown, path = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => plaintextSecrets(item, `${path}[${index}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      const here = path ? `${path}.${key}` : key;
      if (typeof item === 'string' && /password|secret|token|key$/i.test(key) && item !== '') {
        // ${VAR} interpolation and secret *names* are fine; a literal value is not.
        const isReference =
          /^\$\{[A-Z_]+(:[-?][^}]*)?\}$/.test(item) || key === 'existingSecret' || key === 'key';
        return isReference ? [] : [here];
      }
      if (typeof item === 'string' && /:\/\/[^/\s:]+:[^@\s$]+@/.test(item)) return [here]; // user:password@ in a URL
      return plaintextSecrets(item, here);
    });
  }
  return [];
}

describe('infra/Dockerfile', () => {
  const dockerfile = read(join(infra, 'Dockerfile'));
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';

  it('is multi-stage on node:20-bookworm-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/ARG NODE_IMAGE=node:20-bookworm-slim/);
    for (const stage of stages) expect(stage).toMatch(/^\$\{NODE_IMAGE\}|^node:20-bookworm-slim/);
  });

  it('installs with npm ci in the build stage and keeps only production dependencies', () => {
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    expect(stages[0]).toMatch(/better-sqlite3/);
    expect(runtime).toMatch(/COPY --from=build \/app\/node_modules/);
    expect(runtime).not.toMatch(/npm (ci|install)/);
  });

  it('runs as a numeric non-root user, with espeak-ng, a HEALTHCHECK on /healthz and loket serve', () => {
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(runtime).toMatch(/apt-get install[^\n]*espeak-ng/);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    const instructions = runtime.replace(/^\s*#.*$/gm, '');
    expect(instructions).not.toMatch(/curl|wget/);
    expect(runtime).toMatch(/^CMD \["node", "bin\/loket\.mjs", "serve"\]/m);
  });

  it('has a HEALTHCHECK whose node one-liner passes against a live server and fails when nothing listens', async () => {
    const match = /^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(runtime);
    expect(match).not.toBeNull();
    const command = JSON.parse(match?.[1] ?? '[]') as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    const server = await startTestServer();
    const port = new URL(server.url).port;
    try {
      expect(await runNode(command[2] ?? '', { PORT: port })).toBe(0);
    } finally {
      await server.close();
    }
    expect(await runNode(command[2] ?? '', { PORT: port })).toBe(1);
  }, 30_000);

  it('copies everything the server reads at run time', async () => {
    // tsx runs the sources: the image needs it as a production dependency, and the model and skills as files.
    const manifest = JSON.parse(read(join(process.cwd(), 'package.json')));
    expect(Object.keys(manifest.dependencies)).toContain('tsx');
    for (const folder of ['bin', 'fulfillment', 'skills', 'intents', 'locales']) {
      expect(runtime).toMatch(new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'));
    }
  });
});

describe('infra/compose.yaml', () => {
  const compose = parse(read(join(infra, 'compose.yaml')));

  it('runs Loket with Redis and Postgres, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['loket', 'postgres', 'redis']);
    for (const service of Object.values<Record<string, unknown>>(compose.services)) {
      expect(service.healthcheck).toBeDefined();
    }
    const loket = compose.services.loket;
    expect(loket.build.dockerfile).toBe('infra/Dockerfile');
    expect(loket.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(loket.environment.DATABASE_URL).toMatch(/^postgres:\/\/loket:\$\{POSTGRES_PASSWORD/);
    expect(loket.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
    expect(loket.healthcheck.test.join(' ')).toContain('/readyz');
  });

  it('holds no secret values', () => {
    expect(plaintextSecrets(compose)).toEqual([]);
    expect(compose.services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });
});

describe('infra/helm/loket', () => {
  const chartFile = parse(read(join(chart, 'Chart.yaml')));
  const values = parse(read(join(chart, 'values.yaml')));

  it('is a v2 application chart', () => {
    expect(chartFile).toMatchObject({ apiVersion: 'v2', name: 'loket', type: 'application' });
    expect(chartFile.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('has a deployment, service, HPA, PodDisruptionBudget, configmap and ingress', () => {
    const kinds = Object.values(templates).flatMap((text) =>
      [...text.matchAll(/^kind: (\w+)/gm)].map((m) => m[1]),
    );
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'ConfigMap',
      'Ingress',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it('probes /healthz for liveness and /readyz for readiness', () => {
    expect(values.probes.liveness.path).toBe('/healthz');
    expect(values.probes.readiness.path).toBe('/readyz');
    const deployment = templates['deployment.yaml'] ?? '';
    expect(deployment).toMatch(
      /livenessProbe:\s+httpGet:\s+path: \{\{ \.Values\.probes\.liveness\.path \}\}/,
    );
    expect(deployment).toMatch(
      /readinessProbe:\s+httpGet:\s+path: \{\{ \.Values\.probes\.readiness\.path \}\}/,
    );
  });

  it('reads secrets by reference from an existing Secret, and holds no secret values', () => {
    expect(templates['deployment.yaml']).toMatch(/secretKeyRef:\s+name: .*\.Values\.secrets\.existingSecret/);
    expect(Object.values(templates).join('\n')).not.toMatch(/^kind: Secret/m);
    const names = values.secrets.env.map((entry: { name: string }) => entry.name);
    expect(names).toEqual(expect.arrayContaining(['REDIS_URL', 'DATABASE_URL', 'LOKET_TWILIO_AUTH_TOKEN']));
    for (const entry of values.secrets.env)
      expect(Object.keys(entry).sort()).toEqual(['key', 'name', 'optional']);
    // Nothing secret among the plain settings.
    for (const name of Object.keys(values.config)) expect(names).not.toContain(name);
    expect(plaintextSecrets(values)).toEqual([]);
  });

  it('requests resources, runs as non-root and drains on shutdown', () => {
    expect(values.resources.requests.cpu).toBeTruthy();
    expect(values.resources.requests.memory).toBeTruthy();
    expect(values.podSecurityContext.runAsNonRoot).toBe(true);
    expect(values.podSecurityContext.runAsUser).toBeGreaterThan(0);
    expect(Number(values.config.LOKET_SHUTDOWN_DELAY_MS) / 1000 + 10).toBeLessThan(
      values.terminationGracePeriodSeconds,
    );
    expect(values.autoscaling.minReplicas).toBeGreaterThan(values.podDisruptionBudget.minAvailable - 1);
  });

  it('keeps the media stream sticky with ingress-nginx annotations, and does not route /metrics or /readyz', () => {
    expect(values.ingress.stream.path).toBe('/telephony/stream');
    const annotations = Object.keys(values.ingress.stream.annotations);
    expect(annotations).toContain('nginx.ingress.kubernetes.io/affinity');
    expect(annotations).toContain('nginx.ingress.kubernetes.io/proxy-read-timeout');
    expect(values.ingress.paths).not.toContain('/');
    expect(values.ingress.paths).not.toContain('/metrics');
    expect(values.ingress.paths).not.toContain('/readyz');
  });

  it('has templates that are YAML once the template actions are taken out', () => {
    // Not a render: replacing every {{ ... }} action by a scalar catches indentation and structure mistakes in
    // the literal parts, which is what a typo in a hand-written template usually breaks.
    for (const [name, text] of Object.entries(templates)) {
      if (!name.endsWith('.yaml')) continue;
      const literal = text
        .split('\n')
        .filter((line) => !/^\s*\{\{-?.*-?\}\}\s*$/.test(line))
        .join('\n')
        .replace(/\{\{-?[\s\S]*?-?\}\}/g, 'x');
      for (const document of parseAllDocuments(literal)) {
        expect(document.errors.map((error) => `${name}: ${error.message}`)).toEqual([]);
      }
    }
  });
});
