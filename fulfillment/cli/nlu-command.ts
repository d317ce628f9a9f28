// `loket nlu eval`: with --train/--test, evaluate the NLU engine on a labelled data set; without, cross-validate
// the shipped model per locale, so a designer sees which intents the training phrases confuse.
import { polderlinkSkills } from '../../skills/polderlink.ts';
import { readSettings } from '../config/settings.ts';
import { loadModel } from '../model/load.ts';
import { formatProblem } from '../model/problems.ts';
import { crossValidate } from '../nlu/evaluate.ts';
import { trainingExamples } from '../nlu/understand.ts';
import { formatReport, nluEvalFiles } from './nlu-eval-command.ts';

export async function nluEval(options: {
  train?: string;
  test?: string;
  folds: string;
  json?: boolean;
}): Promise<number> {
  if (options.train || options.test) {
    if (!options.train || !options.test) {
      console.error(
        'give both --train <csv> and --test <csv>, or neither to cross-validate the shipped model',
      );
      return 2;
    }
    try {
      await nluEvalFiles({ train: options.train, test: options.test, json: options.json === true });
      return 0;
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      return 1;
    }
  }
  const folds = Number(options.folds);
  if (!Number.isInteger(folds) || folds < 2) {
    console.error('--folds must be a whole number of at least 2');
    return 2;
  }
  const { model, problems } = loadModel(readSettings().modelDir, polderlinkSkills);
  if (!model) {
    for (const problem of problems) console.error(formatProblem(problem));
    return 1;
  }
  const results: Record<string, { accuracy: number; macroF1: number }> = {};
  for (const locale of Object.values(model.locales)) {
    const report = crossValidate(trainingExamples(model, locale), folds, { seed: 7 });
    results[locale.locale] = { accuracy: report.accuracy, macroF1: report.macroF1 };
    console.log(`\n== ${locale.locale}: ${folds}-fold cross-validation of the shipped phrases ==`);
    console.log(formatReport(report));
  }
  if (options.json) console.log(JSON.stringify({ folds, locales: results }));
  return 0;
}
