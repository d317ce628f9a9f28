// PLACEHOLDER until issue 3 lands: the Alexa skill package export. Refuses clearly instead of writing something half-done.
import type { Exporter } from '../cli/export-command.ts';
import { ExportError } from '../cli/export-command.ts';

export const exportAlexa: Exporter = async () => {
  throw new ExportError(['the Alexa skill package export is not built yet (issue 3)']);
};
