// The skills of the sample brand Polderlink; intents with a handoff policy in their YAML need none.
import type { Skill } from '../fulfillment/dialogue/skill-api.ts';
import { checkOutage } from './check-outage.ts';
import { explainBill } from './explain-bill.ts';
import { openingHours } from './opening-hours.ts';
import { orderStatus } from './order-status.ts';
import { restartModem } from './restart-modem.ts';
import { technicalProblem } from './technical-problem.ts';

export const polderlinkSkills: readonly Skill[] = [
  checkOutage,
  orderStatus,
  explainBill,
  restartModem,
  technicalProblem,
  openingHours,
];
