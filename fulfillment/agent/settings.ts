// The agents who may use the agent API and console: LOKET_AGENT_TOKENS=name:token[:role],... validated at start-up.
import { createHash, timingSafeEqual } from 'node:crypto';
import { SettingsError } from '../config/settings.ts';

/** viewer: reads only (a wallboard, a team lead's screen); agent: accepts and resolves; supervisor: also others'. */
export type AgentRole = 'viewer' | 'agent' | 'supervisor';
export const AGENT_ROLES: readonly AgentRole[] = ['viewer', 'agent', 'supervisor'];

export interface Agent {
  name: string;
  role: AgentRole;
}

export interface AgentDirectory {
  /** the agent a bearer token belongs to, compared in constant time, or null */
  identify(token: string): Agent | null;
  size: number;
}

const MIN_TOKEN_LENGTH = 16;

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Parses the setting; a bad entry stops the server with one line per problem, never echoing a token. */
export function readAgentDirectory(env: Readonly<Record<string, string | undefined>>): AgentDirectory {
  const raw = env.LOKET_AGENT_TOKENS ?? '';
  const problems: string[] = [];
  const entries: { agent: Agent; tokenDigest: Buffer }[] = [];
  const names = new Set<string>();
  const tokens = new Set<string>();
  const list = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const [index, entry] of list.entries()) {
    const [name = '', token = '', role = 'agent', ...rest] = entry.split(':');
    // Without a colon the whole entry lands in `name`, and it may well be the token: named only when there is one.
    const shownName = entry.includes(':') ? name : '';
    const where = `LOKET_AGENT_TOKENS: entry ${index + 1}${shownName ? ` (${shownName})` : ''}`;
    const problem =
      rest.length > 0
        ? 'use name:token or name:token:role'
        : !/^[A-Za-z0-9._-]{1,40}$/.test(name)
          ? 'the name must be 1-40 letters, digits, . _ or -'
          : token.length < MIN_TOKEN_LENGTH || !/^[A-Za-z0-9._~+/=-]+$/.test(token)
            ? `the token must be at least ${MIN_TOKEN_LENGTH} characters of A-Z a-z 0-9 . _ ~ + / = -`
            : !AGENT_ROLES.includes(role as AgentRole)
              ? `role must be one of ${AGENT_ROLES.join(', ')} (got "${role}")`
              : names.has(name)
                ? 'the name is used twice'
                : tokens.has(token)
                  ? 'the token is used twice'
                  : null;
    if (problem) {
      problems.push(`${where}: ${problem}`);
      continue;
    }
    names.add(name);
    tokens.add(token);
    entries.push({ agent: { name, role: role as AgentRole }, tokenDigest: digest(token) });
  }
  if (problems.length) throw new SettingsError(problems);
  return {
    identify(token) {
      const candidate = digest(token);
      // Every entry is compared, so the time taken says nothing about which (or whether one) matched.
      let found: Agent | null = null;
      for (const entry of entries) {
        if (timingSafeEqual(candidate, entry.tokenDigest)) found = entry.agent;
      }
      return found;
    },
    size: entries.length,
  };
}
