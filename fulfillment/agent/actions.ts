// What an agent may do with a handoff, as pure changes for the desk: accept a waiting one, resolve one they took
// (a supervisor may resolve any), each refused with the HTTP status the agent API answers.
import type { HandoffPackage } from '../core/types.ts';
import type { HandoffChange, HandoffRefusal } from '../handoff/desk.ts';
import { maskPersonalData } from '../privacy/mask.ts';
import type { Agent } from './settings.ts';

const refuse = (status: HandoffRefusal['status'], error: string, message: string) => ({
  refused: { status, error, message },
});

export const MAX_NOTE_LENGTH = 2000;

export function acceptHandoff(agent: Agent, now: Date): HandoffChange {
  return (current: HandoffPackage) => {
    if (agent.role === 'viewer') return refuse(403, 'forbidden', `${agent.name} may only read handoffs`);
    if (current.status === 'accepted') {
      // Pressing accept twice is not an error; taking a colleague's customer is.
      if (current.agent?.acceptedBy === agent.name) return current;
      return refuse(
        409,
        'already-accepted',
        `already accepted by ${current.agent?.acceptedBy ?? 'someone else'}`,
      );
    }
    if (current.status !== 'waiting')
      return refuse(409, `already-${current.status}`, `the handoff is ${current.status}`);
    const at = now.toISOString();
    return {
      ...current,
      status: 'accepted',
      agent: { acceptedBy: agent.name, acceptedAt: at, resolvedBy: null, resolvedAt: null, note: null },
      updatedAt: at,
    };
  };
}

export function resolveHandoff(agent: Agent, note: string, now: Date): HandoffChange {
  return (current: HandoffPackage) => {
    if (agent.role === 'viewer') return refuse(403, 'forbidden', `${agent.name} may only read handoffs`);
    if (current.status === 'resolved' || current.status === 'expired') {
      return refuse(409, `already-${current.status}`, `the handoff is ${current.status}`);
    }
    const supervisor = agent.role === 'supervisor';
    if (current.status === 'waiting' && !supervisor) {
      return refuse(409, 'not-accepted', 'accept the handoff before resolving it');
    }
    if (current.status === 'accepted' && current.agent?.acceptedBy !== agent.name && !supervisor) {
      return refuse(
        403,
        'not-yours',
        `accepted by ${current.agent?.acceptedBy ?? 'someone else'}; only they or a supervisor may resolve it`,
      );
    }
    const at = now.toISOString();
    return {
      ...current,
      status: 'resolved',
      agent: {
        acceptedBy: current.agent?.acceptedBy ?? agent.name,
        acceptedAt: current.agent?.acceptedAt ?? at,
        resolvedBy: agent.name,
        resolvedAt: at,
        // Agents type what they heard; the note is stored and sent on like the rest of the package, so masked too.
        note: maskPersonalData(note.trim()),
      },
      updatedAt: at,
    };
  };
}
