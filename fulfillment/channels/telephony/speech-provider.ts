// Chooses the media stream's speech provider: Azure when a key is configured, otherwise the offline voice with the
// keypad.
import { azureSpeechProvider } from '../../speech/azure.ts';
import { offlineSpeechProvider } from '../../speech/offline.ts';
import type { SpeechProvider } from '../../speech/provider.ts';
import type { TelephonySettings } from './settings.ts';

export function speechProviderFor(settings: TelephonySettings): SpeechProvider {
  if (!settings.azure) return offlineSpeechProvider();
  return azureSpeechProvider({
    key: settings.azure.key,
    region: settings.azure.region,
    ...(settings.azure.voices ? { voices: settings.azure.voices } : {}),
  });
}
