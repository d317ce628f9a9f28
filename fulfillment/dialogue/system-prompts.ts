// The prompt keys the dialogue engine itself speaks, with the parameters each may use.
// Every locale must define all of them (at least 3 variants each); `loket validate` checks it.

export const SYSTEM_PROMPTS = {
  'greeting.morning': 'a time-of-day greeting word, e.g. "Goedemorgen" (05:00-12:00)',
  'greeting.afternoon': '12:00-18:00',
  'greeting.evening': '18:00-24:00',
  'greeting.night': '00:00-05:00',
  welcome: 'first reply of a conversation. params: {greeting} {botName} {brand}. Ends with an open question.',
  'welcome.named': 'first reply when the caller is recognised. params: {greeting} {name} {botName} {brand}',
  ack: 'a short acknowledgement before an answer: "Oké." "Goed." "Helder."',
  'ack.lookup': 'before a backend lookup: "Even kijken." "Ik zoek het even voor u op."',
  anythingElse: 'after an answer: can I help with anything else?',
  openQuestion: 'the open question when nothing else is pending: what can I do for you?',
  'noMatch.rephrase': 'first miss: sorry, could you say that differently?',
  'noMatch.examples':
    'second miss: examples of what can be said (an outage, an order, the bill) and the offer of a person. Expects yes/no to the person offer.',
  'noMatch.slot':
    'first miss while asking for a slot: did not catch that. params: {question} (the slot question again)',
  'noInput.first': 'silence: are you still there? params: {question}',
  'noInput.second':
    'second silence: patient, take your time, you can also say "medewerker". params: {question}',
  'slot.invalid': 'a value that does not fit the slot. params: {hint} {question}',
  'handoff.offer': 'offer a person: shall I connect you with a colleague? Expects yes/no.',
  'handoff.asked': 'the customer asked for a person: of course, connecting now, no arguing.',
  'handoff.policy': 'this is something a colleague handles: connecting.',
  'handoff.noMatch': 'after repeated misunderstanding: I will let a colleague help you.',
  'handoff.frustration': 'frustration: empathetic, connecting to a colleague.',
  'handoff.verification': 'identification failed twice: a colleague will help.',
  'handoff.error': 'something went wrong on our side; connecting with a colleague.',
  'handoff.transfer': 'phone: you are being transferred now, one moment.',
  'handoff.code':
    'no transfer possible (smart speaker, web): call us on {phone} and mention code {code}; or offer a callback.',
  'handoff.declined': 'customer said no to a person: fine, what else can I do?',
  empathy: 'frustration detected: acknowledge the feeling briefly, then offer a person. Expects yes/no.',
  'help.general':
    'help at the start: what you can ask (outages, orders, bills, modem, moving), and "medewerker" for a person.',
  'help.slot': 'help while a slot is asked: explain what is needed. params: {question}',
  'help.confirmation': 'help while a yes/no is pending: answer yes or no. params: {question}',
  'repeat.nothing': 'repeat asked before anything was said',
  'slower.ack':
    'slower speech: of course, I will speak more slowly. params: {question} (what was pending, may be empty)',
  'startOver.ack': 'start over: fine, let us start again. What can I do for you?',
  goodbye: 'stop/goodbye: a warm goodbye.',
  thanks: 'thanks: you are welcome; anything else?',
  'thanks.pending':
    'thanks while a question is pending: you are welcome, then the question again. params: {question}',
  'confirm.value': 'read back a slot value: {value}, is that right?',
  'confirm.cancelled': 'the customer said no to an action: fine, I will not do that. Anything else?',
  'confirm.unclear': 'a yes/no was expected but not understood: please answer yes or no. params: {question}',
  'resume.previous': 'back to the unfinished intent after a detour. params: {question}',
  'verify.askCustomerNumber': 'ask for the customer number to identify (found on the invoice)',
  'verify.askPostcode': 'ask for the postcode of the address',
  'verify.askHouseNumber': 'ask for the house number',
  'verify.failed': 'details do not match: try again with the customer number',
  'verify.success': 'identified: thank you, {firstName}.',
  'yesNo.outOfContext': 'a bare yes/no with nothing pending: what can I help with?',
  'error.generic':
    'a crash inside a skill: sorry, something went wrong on our side; connecting with a colleague.',
  // The phone line (channels phone and stream): the keypad as a fallback, patience, and the transfer.
  'noMatch.keypad':
    'phone, second miss at an open question: say it again or press 1 outage, 2 order, 3 bill, 4 technical problem, 0 a person (fulfillment/dialogue/keypad.ts).',
  'noMatch.keypadDigits':
    'phone, second miss while a number is asked: {question} again, and that it can be keyed in, ending with #.',
  'noMatch.keypadYesNo': 'phone, second miss at a yes/no: {question} again, and press 1 for yes, 2 for no.',
  'noInput.keypad': 'phone, second silence: patient, take your time, {question}, or press 0 for a person.',
  'keypad.menu':
    'keypad-only phone line (no speech recognition): the menu after an open question, same keys as noMatch.keypad.',
  'keypad.digits': 'keypad-only phone line: after a question for a number, key it in and end with #.',
  'keypad.yesNo': 'keypad-only phone line: after a yes/no question, 1 for yes, 2 for no.',
  'confirm.implicit':
    'a value heard with middling speech-recognition confidence, said back in passing before moving on: {value}, noted.',
  'handoff.waiting':
    'phone: while the caller waits in the queue for a colleague (repeats): a colleague is coming.',
  'handoff.unreachable':
    'phone: the transfer failed (nobody answered): call {phone} later and mention code {code}.',
  'language.choose': 'phone language menu, spoken in this locale: for this language, press {digit}.',
  // Callbacks where a call cannot be transferred, and callers phoning back (fulfillment/dialogue/handoff-followup.ts).
  'callback.offer':
    'no transfer possible (smart speaker, web): may a colleague call you back? Expects yes/no.',
  'callback.confirmNumber':
    'read back the number we would call, digit by digit: {phone}, is that right? Expects yes/no.',
  'callback.askNumber': 'ask for the phone number to call back on.',
  'callback.askMoment': 'ask when suits best: a day, a part of the day, or as soon as possible.',
  'callback.confirmed.asap':
    'callback arranged: a colleague calls {phone} as soon as possible. Ends the conversation.',
  'callback.confirmed.date': 'callback arranged: a colleague calls {phone} on {date}. Ends the conversation.',
  'callback.confirmed.morning': 'callback arranged: a colleague calls {phone} on {date} in the morning.',
  'callback.confirmed.afternoon': 'callback arranged: a colleague calls {phone} on {date} in the afternoon.',
  'callback.confirmed.evening': 'callback arranged: a colleague calls {phone} on {date} in the evening.',
  'continuity.greeting':
    'phone, first reply to a caller with a waiting handoff: {greeting}, you are calling about {topic}, right? Expects yes/no.',
  'continuity.greetingNoTopic':
    'as continuity.greeting when the topic has no name: about your earlier contact? {greeting}',
  'continuity.found': 'the caller gave the code of a waiting handoff: you are calling about {topic}, right?',
  'continuity.foundNoTopic':
    'as continuity.found when the topic has no name: found it; shall I put you through?',
  'continuity.connect': 'yes to continuity: my colleague already has everything, no need to tell it again.',
  'continuity.declined': 'no to continuity: fine, what can I do for you then?',
} as const satisfies Record<string, string>;

export type SystemPromptKey = keyof typeof SYSTEM_PROMPTS;
