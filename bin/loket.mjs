#!/usr/bin/env node
// Entry point of the `loket` CLI. tsx's loader lets Node 20 run the TypeScript sources directly,
// so a fresh checkout needs no build step before `npx loket ...` works.
import { register } from 'tsx/esm/api';

register();
await import('../fulfillment/cli/main.ts');
