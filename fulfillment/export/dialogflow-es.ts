// PLACEHOLDER until issue 4 lands: the Dialogflow ES agent export. Refuses clearly instead of writing something half-done.
import type { Exporter } from '../cli/export-command.ts';
import { ExportError } from '../cli/export-command.ts';

export const exportDialogflowEs: Exporter = async () => {
  throw new ExportError(['the Dialogflow ES agent export is not built yet (issue 4)']);
};
