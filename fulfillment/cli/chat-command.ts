// `loket chat`: an interactive terminal conversation with the same engine the server runs.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import pc from 'picocolors';
import { pino } from 'pino';
import { converseResponse, matchLocale, turnFromConverse } from '../channels/converse/router.ts';
import { readSettings } from '../config/settings.ts';
import { takeTurn } from '../conversation/take-turn.ts';
import { startRuntime } from '../server/runtime.ts';

export async function chat(options: { locale: string; caller?: string }): Promise<void> {
  const settings = readSettings();
  const runtime = await startRuntime(settings, { logger: pino({ level: 'warn' }) });
  const locale = matchLocale(options.locale, runtime.locales());
  if (!locale) {
    console.error(`unknown locale '${options.locale}'; supported: ${runtime.locales().join(', ')}`);
    await runtime.close();
    process.exitCode = 2;
    return;
  }
  const sessionId = `chat-${randomUUID()}`;
  const caller = options.caller ? { callerId: options.caller } : {};
  const say = async (request: { text?: string; event?: 'launch' | 'no-input' | 'end' }) => {
    const turn = turnFromConverse({ sessionId, locale, ...caller, ...request });
    const result = converseResponse(await takeTurn(runtime.deps, turn), sessionId);
    if (request.text !== undefined) {
      const slots = Object.entries(result.understood.slots)
        .map(([name, value]) => `${name}=${value}`)
        .join(' ');
      console.log(
        pc.dim(
          `  ${result.understood.intent} ${result.understood.confidence.toFixed(2)}${slots ? ` ${slots}` : ''}`,
        ),
      );
    }
    if (result.reply.text) console.log(`${pc.bold(pc.cyan('loket'))} ${result.reply.text}`);
    if (result.handoff)
      console.log(
        pc.yellow(
          `  handoff ${result.handoff.reason} · code ${result.handoff.code} · ${result.handoff.summary}`,
        ),
      );
    return result.ended || result.handoff !== null;
  };

  console.log(
    pc.dim(`Loket chat (${locale}). Type what a customer would say; empty line = silence; Ctrl+D to quit.`),
  );
  await say({ event: 'launch' });
  // The async iterator buffers lines, so piped input (a script of customer turns) works as well as typing.
  const lines = createInterface({ input: process.stdin, terminal: false });
  const promptYou = () => process.stdout.write(`${pc.bold('you')}   `);
  try {
    promptYou();
    for await (const line of lines) {
      if (!process.stdin.isTTY) process.stdout.write(`${line}\n`);
      const done = await say(line.trim() ? { text: line } : { event: 'no-input' });
      if (done) break;
      promptYou();
    }
  } finally {
    lines.close();
    await runtime.close();
  }
}
