// `loket validate [dir]`: the designer's check, fit for CI: one line per problem, non-zero exit on any error.
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { loadHandoffWords } from '../handoff/words.ts';
import { loadModel } from '../model/load.ts';
import { formatProblem, hasErrors } from '../model/problems.ts';

export function validate(dir: string, options: { quiet: boolean }): number {
  const loaded = loadModel(dir, polderlinkSkills);
  const { model } = loaded;
  // The handoff words (locales/<locale>/handoff.yaml) belong to the model too: check them in the same pass.
  const handoffProblems = model ? loadHandoffWords(dir, Object.keys(model.locales), model).problems : [];
  const problems = [...loaded.problems, ...handoffProblems];
  const shown = options.quiet ? problems.filter((problem) => problem.severity === 'error') : problems;
  for (const problem of shown) console.log(formatProblem(problem));
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  if (hasErrors(problems) || !model) {
    console.error(`${errors} error(s), ${warnings} warning(s)`);
    return 1;
  }
  const intents = Object.keys(model.intents).length;
  const phrases = Object.values(model.locales).reduce(
    (sum, locale) => sum + Object.values(locale.phrases).reduce((count, list) => count + list.length, 0),
    0,
  );
  console.error(
    `ok: ${intents} intents, ${Object.keys(model.locales).join(', ')}, ${phrases} phrases; ${warnings} warning(s)`,
  );
  return 0;
}
