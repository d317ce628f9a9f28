// The export targets `loket export` knows, each loaded only when asked for.
import { registerExporter } from './export-command.ts';

registerExporter('alexa', async () => (await import('../export/alexa.ts')).exportAlexa);
registerExporter(
  'dialogflow-cx',
  async () => (await import('../export/dialogflow-cx.ts')).exportDialogflowCx,
);
registerExporter(
  'dialogflow-es',
  async () => (await import('../export/dialogflow-es.ts')).exportDialogflowEs,
);
