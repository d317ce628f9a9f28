// `loket export <target> --out <dir>`: write the shared model in a platform's own package format.
import { polderlinkSkills } from '../../skills/polderlink.ts';
import type { Settings } from '../config/settings.ts';
import { readSettings } from '../config/settings.ts';
import { loadModel } from '../model/load.ts';
import { formatProblem } from '../model/problems.ts';
import type { IntentModel } from '../model/schema.ts';

/** An exporter writes files under `outDir` and returns the paths it wrote; it throws ExportError for a model the platform would reject. */
export type Exporter = (model: IntentModel, outDir: string, settings: Settings) => Promise<string[]>;

export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const exporters: Record<string, () => Promise<Exporter>> = {};

/** Channels register their exporter here (alexa, dialogflow-cx, dialogflow-es). */
export function registerExporter(target: string, load: () => Promise<Exporter>): void {
  exporters[target] = load;
}

export async function exportModel(target: string, outDir: string): Promise<number> {
  await import('./exporters.ts');
  const load = exporters[target];
  if (!load) {
    console.error(
      `unknown export target '${target}'; choose one of: ${Object.keys(exporters).sort().join(', ') || '(none yet)'}`,
    );
    return 2;
  }
  const settings = readSettings();
  const { model, problems } = loadModel(settings.modelDir, polderlinkSkills);
  if (!model) {
    for (const problem of problems) console.error(formatProblem(problem));
    return 1;
  }
  try {
    const written = await (await load())(model, outDir, settings);
    for (const file of written) console.log(file);
    console.error(`exported ${target}: ${written.length} file(s) in ${outDir}`);
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      for (const problem of error.problems) console.error(problem);
      console.error(`export ${target} refused: ${error.problems.length} problem(s)`);
      return 1;
    }
    throw error;
  }
}
