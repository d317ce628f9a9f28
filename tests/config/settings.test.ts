// Settings: defaults on an empty environment, and one clear message per bad value.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../../fulfillment/config/settings.ts';

describe('readSettings', () => {
  it('has defaults that need no keys or services', () => {
    const settings = readSettings({});
    expect(settings.PORT).toBe(3000);
    expect(settings.dataDir).toBe(resolve('./data'));
    expect(settings.REDIS_URL).toBeUndefined();
    expect(settings.LOG_LEVEL).toBe('info');
    expect(settings.LOKET_SESSION_TTL_SECONDS).toBe(1800);
  });

  it('treats an empty variable as unset', () => {
    expect(readSettings({ PORT: '', REDIS_URL: '' }).PORT).toBe(3000);
  });

  it('reports every bad value with its name and what was given', () => {
    try {
      readSettings({ PORT: '70000', REDIS_URL: 'localhost:6379', LOKET_TIME_ZONE: 'Mars/Olympus' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      const { problems } = error as SettingsError;
      expect(problems).toContain('PORT: must be between 0 and 65535 (got "70000")');
      expect(problems).toContain('REDIS_URL: must start with redis:// or rediss:// (got "localhost:6379")');
      expect(problems).toContain(
        'LOKET_TIME_ZONE: must be an IANA time zone such as Europe/Amsterdam (got "Mars/Olympus")',
      );
    }
  });
});
