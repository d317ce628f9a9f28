// Writes an agent package as a folder of JSON files plus the same files zipped, which is what the Dialogflow consoles
// import; shared by the CX and ES exports.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import type { GoogleSettings } from '../../channels/google/settings.ts';
import { ExportError } from '../../cli/export-command.ts';

export const AGENT_ZIP = 'agent.zip';
// A fixed time stamp keeps the zip byte-identical for an unchanged model.
const ZIP_TIME = new Date('2024-01-01T00:00:00Z');

/** The webhook address Dialogflow calls; Dialogflow only calls HTTPS webhooks. */
export function webhookUri(google: GoogleSettings, path: string): string {
  if (!google.publicUrl) {
    throw new ExportError([
      'LOKET_PUBLIC_URL is not set: give the https address where Dialogflow reaches Loket, e.g. LOKET_PUBLIC_URL=https://loket.example.com',
    ]);
  }
  if (!google.publicUrl.startsWith('https://')) {
    throw new ExportError([
      `LOKET_PUBLIC_URL must start with https:// (got ${google.publicUrl}): Dialogflow calls webhooks over HTTPS only`,
    ]);
  }
  return `${google.publicUrl}${path}`;
}

/**
 * Clears what an earlier export wrote (a folder with an agent.json), refuses any other non-empty folder, then writes
 * each file as indented JSON and all of them into agent.zip. Returns the paths written.
 */
export function writeAgentPackage(outDir: string, files: ReadonlyMap<string, unknown>): string[] {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    if (!existsSync(join(outDir, 'agent.json'))) {
      throw new ExportError([
        `${outDir} is not empty and holds no earlier export: choose an empty or new folder`,
      ]);
    }
    const ours = new Set([...files.keys()].map((path) => path.split('/')[0] ?? path));
    for (const name of [...ours, AGENT_ZIP]) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  const zipped: Record<string, Uint8Array> = {};
  const written: string[] = [];
  for (const [path, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const bytes = new TextEncoder().encode(`${JSON.stringify(content, null, 2)}\n`);
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    zipped[path] = bytes;
    written.push(target);
  }
  const zipPath = join(outDir, AGENT_ZIP);
  writeFileSync(zipPath, zipSync(zipped, { level: 9, mtime: ZIP_TIME }));
  written.push(zipPath);
  return written;
}
