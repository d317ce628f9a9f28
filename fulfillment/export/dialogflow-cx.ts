// PLACEHOLDER until issue 4 lands: the Dialogflow CX agent export. Refuses clearly instead of writing something half-done.
import type { Exporter } from '../cli/export-command.ts';
import { ExportError } from '../cli/export-command.ts';

export const exportDialogflowCx: Exporter = async () => {
  throw new ExportError(['the Dialogflow CX agent export is not built yet (issue 4)']);
};
