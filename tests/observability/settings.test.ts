// The operations settings: defaults, parsing, and one clear message per bad value.
import { describe, expect, it } from 'vitest';
import { SettingsError } from '../../fulfillment/config/settings.ts';
import { readOperationsSettings } from '../../fulfillment/observability/settings.ts';

describe('operations settings', () => {
  it('has defaults that need no configuration', () => {
    expect(readOperationsSettings({})).toEqual({
      metrics: true,
      readyTimeoutMs: 1000,
      activeSessionsCacheMs: 5000,
      shutdownDelayMs: 0,
    });
  });

  it('reads the variables, treating empty ones as unset', () => {
    expect(
      readOperationsSettings({
        LOKET_METRICS: 'OFF',
        LOKET_READY_TIMEOUT_MS: '250',
        LOKET_ACTIVE_SESSIONS_CACHE_MS: '',
        LOKET_SHUTDOWN_DELAY_MS: '5000',
      }),
    ).toEqual({ metrics: false, readyTimeoutMs: 250, activeSessionsCacheMs: 5000, shutdownDelayMs: 5000 });
  });

  it('names each bad value', () => {
    let error: unknown;
    try {
      readOperationsSettings({ LOKET_METRICS: 'maybe', LOKET_SHUTDOWN_DELAY_MS: '-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/LOKET_METRICS: must be on or off \(got "maybe"\)/);
    expect(problems.join('\n')).toMatch(/LOKET_SHUTDOWN_DELAY_MS: must be between 0 and 60000 \(got "-1"\)/);
  });
});
