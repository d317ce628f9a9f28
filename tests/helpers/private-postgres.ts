// A private Postgres server for tests that take the database down: its own cluster in a temporary folder, on its own
// port, so stopping it cannot disturb the machine's Postgres that other test files use at the same time. Uses the
// server binaries of the installed Postgres (initdb, pg_ctl); as root, they run as the `postgres` user, since the
// server refuses to run as root.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

export interface PrivatePostgres {
  url: string;
  port: number;
  start(): void;
  stop(): void;
  destroy(): void;
}

function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const version = versions[0];
  if (!version) throw new Error(`no Postgres server binaries under ${root}: install the postgresql package`);
  return join(root, version, 'bin');
}

export async function createPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), 'loket-private-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = join(root, 'socket');
  const logFile = join(root, 'server.log');
  const asRoot = userInfo().uid === 0;
  chmodSync(root, 0o777);
  const run = (program: string, args: string[]) => {
    const command = join(bin, program);
    // stdio ignored: pg_ctl's server inherits the pipes otherwise and keeps execFileSync waiting.
    if (asRoot)
      execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore', cwd: root });
    else execFileSync(command, args, { stdio: 'ignore', cwd: root });
  };
  if (asRoot) execFileSync('install', ['-d', '-o', 'postgres', '-g', 'postgres', dataDir, socketDir]);
  else mkdirSync(socketDir);
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const serverOptions = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () =>
    run('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', serverOptions, '-w', '-t', '30', 'start']);
  // fast: disconnect the clients and stop now, the way a failover or a maintenance restart looks to Loket.
  const stop = () => run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
