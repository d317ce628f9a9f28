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
} as const satisfies Record<string, string>;

export type SystemPromptKey = keyof typeof SYSTEM_PROMPTS;
