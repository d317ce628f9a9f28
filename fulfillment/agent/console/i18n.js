// The console's words in Dutch and English. Static text in index.html carries data-i18n keys; the rest is built in
// console.js with t(key, params).

const messages = {
  nl: {
    appName: 'Loket · medewerkers',
    skipToContent: 'Naar de inhoud',
    language: 'Taal',
    signInTitle: 'Aanmelden',
    signInIntro: 'Meld u aan met uw medewerkerstoken.',
    tokenLabel: 'Medewerkerstoken',
    signIn: 'Aanmelden',
    signOut: 'Afmelden',
    signInFailed: 'Dit token kennen we niet. Kijk het na en probeer het opnieuw.',
    signInUnreachable: 'Loket is niet bereikbaar. Probeer het zo nog eens.',
    whoami: ({ name, role }) => `${name} · ${role}`,
    roles: { agent: 'medewerker', supervisor: 'teamleider', viewer: 'alleen lezen' },
    queueTitle: 'Wachtrij',
    filters: 'Filter',
    filterWaiting: 'Wachtend',
    filterMine: 'Mijn klanten',
    filterAll: 'Alles',
    filterFailed: 'Webhook mislukt',
    keyboardHint: 'Pijltjes of j en k om te bladeren, Enter om te openen.',
    queueEmpty: 'Niemand wacht. Nieuwe klanten verschijnen hier vanzelf.',
    detailEmpty: 'Kies een klant in de wachtrij.',
    live: 'Live',
    reconnecting: 'Verbinding herstellen…',
    unknownCustomer: 'Onbekende klant',
    verified: 'Geïdentificeerd',
    notVerified: 'Niet geïdentificeerd',
    waitingFor: ({ duration }) => `wacht ${duration}`,
    acceptedByAgo: ({ name, duration }) => `bij ${name} · ${duration}`,
    resolvedBy: ({ name }) => `opgelost door ${name}`,
    callbackAt: ({ moment }) => `Terugbellen ${moment}`,
    newHandoff: ({ reason, customer }) => `Nieuwe klant in de wachtrij: ${customer}, ${reason}.`,
    reasons: {
      'asked-for-person': 'Vroeg om een medewerker',
      'no-match': 'Bot begreep het niet',
      frustration: 'Gefrustreerd',
      policy: 'Vraag voor een medewerker',
      'verification-failed': 'Identificatie mislukt',
      error: 'Technische fout',
    },
    channels: {
      text: 'Webchat',
      alexa: 'Alexa',
      'dialogflow-cx': 'Google (CX)',
      'dialogflow-es': 'Google (ES)',
      phone: 'Telefoon',
      stream: 'Telefoon',
    },
    statuses: { waiting: 'Wachtend', accepted: 'Aangenomen', resolved: 'Opgelost', expired: 'Verlopen' },
    sentiments: { negative: 'Negatief', neutral: 'Neutraal', positive: 'Positief' },
    deliveries: { pending: 'Wordt verstuurd', delivered: 'Afgeleverd', failed: 'Mislukt' },
    fields: {
      customer: 'Klant',
      reason: 'Reden',
      queue: 'Wachtrij',
      channel: 'Kanaal',
      language: 'Taal',
      code: 'Code',
      created: 'Binnengekomen',
      status: 'Status',
      sentiment: 'Stemming',
      callback: 'Terugbellen',
      previous: 'Eerder contact',
      continuedBy: 'Voortgezet in',
      delivery: 'Webhook',
      note: 'Notitie',
    },
    intentsTitle: 'Wat de klant wil',
    noIntents: 'De klant heeft nog niet gezegd waar het over gaat.',
    triedTitle: 'Wat de bot al probeerde',
    nothingTried: 'Nog niets.',
    transcriptTitle: 'Gesprek (persoonsgegevens afgeschermd)',
    speakers: { customer: 'Klant', bot: 'Bot' },
    accept: 'Aannemen',
    resolve: 'Afronden',
    resolveNote: 'Hoe is het opgelost?',
    redeliver: 'Webhook opnieuw versturen',
    accepted: 'Aangenomen. De klant is van u.',
    resolved: 'Afgerond.',
    redelivering: 'Wordt opnieuw verstuurd.',
    readOnly: 'U kunt alleen meekijken.',
    notYours: ({ name }) => `${name} helpt deze klant.`,
    failedAction: ({ message }) => `Dat lukte niet: ${message}`,
    callbackMoment: {
      asap: 'zo snel mogelijk',
      date: ({ date }) => `op ${date}`,
      morning: ({ date }) => `${date} in de ochtend`,
      afternoon: ({ date }) => `${date} in de middag`,
      evening: ({ date }) => `${date} in de avond`,
    },
    attempts: ({ count }) => `${count} poging(en)`,
    seconds: ({ s }) => `${s} s`,
    minutes: ({ m, s }) => `${m} min ${s} s`,
    hours: ({ h, m }) => `${h} u ${m} min`,
  },
  en: {
    appName: 'Loket · agents',
    skipToContent: 'Skip to content',
    language: 'Language',
    signInTitle: 'Sign in',
    signInIntro: 'Sign in with your agent token.',
    tokenLabel: 'Agent token',
    signIn: 'Sign in',
    signOut: 'Sign out',
    signInFailed: 'We do not know this token. Please check it and try again.',
    signInUnreachable: 'Loket cannot be reached. Please try again in a moment.',
    whoami: ({ name, role }) => `${name} · ${role}`,
    roles: { agent: 'agent', supervisor: 'supervisor', viewer: 'read-only' },
    queueTitle: 'Queue',
    filters: 'Filter',
    filterWaiting: 'Waiting',
    filterMine: 'My customers',
    filterAll: 'All',
    filterFailed: 'Webhook failed',
    keyboardHint: 'Arrow keys or j and k to move, Enter to open.',
    queueEmpty: 'Nobody is waiting. New customers appear here by themselves.',
    detailEmpty: 'Pick a customer from the queue.',
    live: 'Live',
    reconnecting: 'Reconnecting…',
    unknownCustomer: 'Unknown customer',
    verified: 'Identified',
    notVerified: 'Not identified',
    waitingFor: ({ duration }) => `waiting ${duration}`,
    acceptedByAgo: ({ name, duration }) => `with ${name} · ${duration}`,
    resolvedBy: ({ name }) => `resolved by ${name}`,
    callbackAt: ({ moment }) => `Call back ${moment}`,
    newHandoff: ({ reason, customer }) => `New customer in the queue: ${customer}, ${reason}.`,
    reasons: {
      'asked-for-person': 'Asked for a person',
      'no-match': 'Bot did not understand',
      frustration: 'Frustrated',
      policy: 'Needs a colleague',
      'verification-failed': 'Identification failed',
      error: 'Technical error',
    },
    channels: {
      text: 'Web chat',
      alexa: 'Alexa',
      'dialogflow-cx': 'Google (CX)',
      'dialogflow-es': 'Google (ES)',
      phone: 'Phone',
      stream: 'Phone',
    },
    statuses: { waiting: 'Waiting', accepted: 'Accepted', resolved: 'Resolved', expired: 'Expired' },
    sentiments: { negative: 'Negative', neutral: 'Neutral', positive: 'Positive' },
    deliveries: { pending: 'Sending', delivered: 'Delivered', failed: 'Failed' },
    fields: {
      customer: 'Customer',
      reason: 'Reason',
      queue: 'Queue',
      channel: 'Channel',
      language: 'Language',
      code: 'Code',
      created: 'Came in',
      status: 'Status',
      sentiment: 'Mood',
      callback: 'Call back',
      previous: 'Earlier contact',
      continuedBy: 'Continued in',
      delivery: 'Webhook',
      note: 'Note',
    },
    intentsTitle: 'What the customer wants',
    noIntents: 'The customer has not said what it is about yet.',
    triedTitle: 'What the bot already tried',
    nothingTried: 'Nothing yet.',
    transcriptTitle: 'Conversation (personal data masked)',
    speakers: { customer: 'Customer', bot: 'Bot' },
    accept: 'Accept',
    resolve: 'Resolve',
    resolveNote: 'How was it resolved?',
    redeliver: 'Send to the webhook again',
    accepted: 'Accepted. This customer is yours.',
    resolved: 'Resolved.',
    redelivering: 'Sending again.',
    readOnly: 'You can only look along.',
    notYours: ({ name }) => `${name} is helping this customer.`,
    failedAction: ({ message }) => `That did not work: ${message}`,
    callbackMoment: {
      asap: 'as soon as possible',
      date: ({ date }) => `on ${date}`,
      morning: ({ date }) => `${date} in the morning`,
      afternoon: ({ date }) => `${date} in the afternoon`,
      evening: ({ date }) => `${date} in the evening`,
    },
    attempts: ({ count }) => `${count} attempt(s)`,
    seconds: ({ s }) => `${s} s`,
    minutes: ({ m, s }) => `${m} min ${s} s`,
    hours: ({ h, m }) => `${h} h ${m} min`,
  },
};

const STORAGE_KEY = 'loket.console.language';

export const LANGUAGES = Object.keys(messages);

/** The agent's last choice, else the browser's language when it is Dutch, else English. */
export function initialLanguage() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored && LANGUAGES.includes(stored)) return stored;
  return (navigator.language || '').toLowerCase().startsWith('nl') ? 'nl' : 'en';
}

let language = 'nl';

export function setLanguage(next) {
  language = LANGUAGES.includes(next) ? next : 'en';
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-i18n]'))
    element.textContent = t(element.dataset.i18n);
  for (const element of document.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', t(element.dataset.i18nLabel));
  }
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === language));
  }
}

export function currentLanguage() {
  return language;
}

/** A message by dotted key; a function message gets the params. Unknown keys show the key, never nothing. */
export function t(key, params = {}) {
  const value = key
    .split('.')
    .reduce((node, part) => (node == null ? undefined : node[part]), messages[language]);
  if (typeof value === 'function') return value(params);
  return value == null ? key : value;
}

export function locale() {
  return language === 'nl' ? 'nl-NL' : 'en-GB';
}
