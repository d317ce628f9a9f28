// <Connect><Stream>: hands the call's audio to Loket's media stream (bidirectional), with the locale and the caller
// as custom parameters; when the stream ends, Twilio asks the <Connect> action what to do next (transfer or hang up).
// https://www.twilio.com/docs/voice/twiml/stream
import { element } from './twiml.ts';

export function streamConnectVerb(
  streamUrl: string,
  endedUrl: string,
  parameters: Readonly<Record<string, string>>,
): string {
  const parameterElements = Object.entries(parameters)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => element('Parameter', { name, value }))
    .join('');
  return element(
    'Connect',
    { action: endedUrl, method: 'POST' },
    element('Stream', { url: streamUrl, name: 'loket' }, parameterElements),
  );
}
