// Moves the call to a person on a handoff: <Dial><Sip> to the agents' SIP URI with only the handoff id in an X- header
// (SIP headers are small; the agent desktop fetches the package from the agent API), or <Enqueue> into a Twilio Flex
// workflow with the id in the task attributes.
// https://www.twilio.com/docs/voice/twiml/sip#custom-headers · https://www.twilio.com/docs/voice/twiml/enqueue
import type { HandoffPackage } from '../../core/types.ts';
import type { TelephonySettings } from './settings.ts';
import { element, text } from './twiml.ts';

/** Twilio passes URI query parameters starting with X- on as SIP headers. */
export const HANDOFF_HEADER = 'X-Loket-Handoff';
/** how long the agents' line may ring before the caller hears the handoff code instead */
export const RING_SECONDS = 30;

/** Twilio's <Dial ringTone> values, so a Dutch caller hears a Dutch ringback tone. */
const RING_TONES = new Set(
  'at au bg br be ch cl cn cz de dk ee es fi fr gr hu il in it lt jp mx my nl no nz ph pl pt ru se sg th uk us tw ve za'.split(
    ' ',
  ),
);

export function ringToneFor(locale: string): string | undefined {
  const country = locale.split('-')[1]?.toLowerCase();
  const tone = country === 'gb' ? 'uk' : country;
  return tone && RING_TONES.has(tone) ? tone : undefined;
}

/** The handoff id as RFC 7433 User-to-User data (hex-encoded, as Twilio expects for `encoding=hex`). */
export function userToUser(handoffId: string): string {
  return `${Buffer.from(handoffId, 'utf8').toString('hex')};encoding=hex`;
}

export function sipUriWithHandoff(sipUri: string, handoffId: string, withUserToUser: boolean): string {
  const headers = [`${HANDOFF_HEADER}=${encodeURIComponent(handoffId)}`];
  if (withUserToUser) headers.push(`User-to-User=${encodeURIComponent(userToUser(handoffId))}`);
  return `${sipUri}?${headers.join('&')}`;
}

/** What a Flex task carries: enough to route and to fetch the package, nothing personal beyond the caller's number. */
export function flexTaskAttributes(handoff: HandoffPackage, callerId: string | null): string {
  return JSON.stringify({
    type: 'loket-handoff',
    handoffId: handoff.id,
    handoffCode: handoff.code,
    reason: handoff.reason,
    queue: handoff.queue,
    locale: handoff.locale,
    ...(callerId ? { from: callerId } : {}),
  });
}

export interface TransferUrls {
  /** where Twilio reports how the transfer ended */
  ended: string;
  /** what a queued caller hears while waiting (Flex) */
  wait: string;
}

/** The transfer verb, or null when neither SIP nor Flex is configured. */
export function transferVerb(
  handoff: HandoffPackage,
  settings: TelephonySettings,
  urls: TransferUrls,
  callerId: string | null,
): string | null {
  if (settings.flexWorkflowSid) {
    return element(
      'Enqueue',
      {
        workflowSid: settings.flexWorkflowSid,
        action: urls.ended,
        method: 'POST',
        waitUrl: urls.wait,
        waitUrlMethod: 'POST',
      },
      element('Task', {}, text(flexTaskAttributes(handoff, callerId))),
    );
  }
  if (settings.agentSipUri) {
    return element(
      'Dial',
      { action: urls.ended, method: 'POST', timeout: RING_SECONDS, ringTone: ringToneFor(handoff.locale) },
      element('Sip', {}, text(sipUriWithHandoff(settings.agentSipUri, handoff.id, settings.sipUserToUser))),
    );
  }
  return null;
}
