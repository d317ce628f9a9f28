// The `loket` command line: serve, validate, chat, test, nlu eval, export, bench, bench load.
import { Command } from 'commander';
import { SettingsError } from '../config/settings.ts';
import { registerPrivacyCommand } from './privacy-command.ts';

const program = new Command();
program
  .name('loket')
  .description('Customer-service voice assistants from one shared intent model')
  // Each command's options after its own name only: `bench --seconds` and `bench load --seconds` differ.
  .enablePositionalOptions()
  .showHelpAfterError();

program
  .command('serve')
  .description('serve the model and the channels over HTTP')
  .option('--watch', 'reload the model when files in intents/ or locales/ change')
  .action(async (options: { watch?: boolean }) => {
    const { serve } = await import('./serve-command.ts');
    await serve({ watch: options.watch === true });
  });

program
  .command('validate')
  .description('check intents/ and locales/; prints file:line:column: message per problem')
  .argument('[dir]', 'folder holding intents/ and locales/', '.')
  .option('--quiet', 'print errors only, no warnings')
  .action(async (dir: string, options: { quiet?: boolean }) => {
    const { validate } = await import('./validate-command.ts');
    process.exitCode = validate(dir, { quiet: options.quiet === true });
  });

program
  .command('chat')
  .description('talk to the assistant in the terminal')
  .option('--locale <locale>', 'nl-NL or en-US', 'nl-NL')
  .option('--caller <number>', 'pretend to call from this number (caller id)')
  .action(async (options: { locale: string; caller?: string }) => {
    const { chat } = await import('./chat-command.ts');
    await chat(options);
  });

program
  .command('test')
  .description('run the YAML conversation tests')
  .argument('[files...]', 'test files or folders', ['tests/conversations'])
  .action(async (files: string[]) => {
    const { runConversationTestsCommand } = await import('./test-command.ts');
    process.exitCode = await runConversationTestsCommand(files);
  });

program
  .command('migrate')
  .description(
    "bring the records database (Postgres with DATABASE_URL, else SQLite) up to this release's schema",
  )
  .action(async () => {
    const { migrate } = await import('./migrate-command.ts');
    process.exitCode = await migrate(process.env);
  });

const nlu = program.command('nlu').description('NLU tools');
nlu
  .command('eval')
  .description('train on one CSV and test on another, or cross-validate the shipped model per locale')
  .option('--train <csv>', 'training CSV with a header text,<label>')
  .option('--test <csv>', 'test CSV with the same header')
  .option('--folds <n>', 'folds for cross-validation of the shipped model', '5')
  .option('--json', 'print one JSON object as the last line')
  .action(async (options: { train?: string; test?: string; folds: string; json?: boolean }) => {
    const { nluEval } = await import('./nlu-command.ts');
    process.exitCode = await nluEval(options);
  });

program
  .command('export')
  .description('export the model for a platform: alexa, dialogflow-cx or dialogflow-es')
  .argument('<target>', 'alexa | dialogflow-cx | dialogflow-es')
  .requiredOption('--out <dir>', 'folder to write the package into')
  .action(async (target: string, options: { out: string }) => {
    const { exportModel } = await import('./export-command.ts');
    process.exitCode = await exportModel(target, options.out);
  });

registerPrivacyCommand(program);

const bench = program
  .command('bench')
  .description('turns per second and latency of /v1/converse next to a bare express echo, on this machine')
  .enablePositionalOptions()
  .option('--seconds <n>', 'seconds per measured run', '8')
  .option('--connections <n>', 'concurrent connections', '16')
  .action(async (options: { seconds: string; connections: string }) => {
    const { bench } = await import('../bench/bench.ts');
    await bench({ seconds: Number(options.seconds), connections: Number(options.connections) });
  });
bench
  .command('load')
  .description('concurrent conversations against the echo, one and two instances sharing Redis and Postgres')
  .option('--conversations <n>', 'conversations at the same time', '200')
  .option('--seconds <n>', 'seconds measured per phase', '10')
  .option('--warm-up <n>', 'seconds of warm-up per phase', '2')
  .option('--instances <list>', 'phases to run: 1, 2 or 1,2', '1,2')
  .action(async (options: { conversations: string; seconds: string; warmUp: string; instances: string }) => {
    const { benchLoad } = await import('../bench/load.ts');
    await benchLoad({
      conversations: Number(options.conversations),
      seconds: Number(options.seconds),
      warmUpSeconds: Number(options.warmUp),
      instances: options.instances,
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof SettingsError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
