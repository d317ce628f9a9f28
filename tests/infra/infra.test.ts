// The image and the compose stack hold what operators rely on: a non-root image with a health check, and a compose
// stack with health checks and no secrets in it. No Docker engine runs here: this parses compose.yaml and reads the
// Dockerfile as text. The Helm chart is linted and rendered by the real helm binary in helm.test.ts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { plaintextSecrets } from '../helpers/secrets.ts';
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
const read = (path: string) => readFileSync(path, 'utf8');

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
