// Locale-aware display of typed prompt parameters: dates, times, months, amounts, phone numbers and postcodes.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const TIME_ZONE = 'Europe/Amsterdam';

// Building an Intl formatter costs far more than using one: keep one per locale and style.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as T;
}

export function formatDate(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return cached(
    `date:${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }),
  ).format(date);
}

export function formatTime(isoDateTime: string, locale: string): string {
  const date = new Date(isoDateTime);
  if (Number.isNaN(date.getTime())) return isoDateTime;
  return cached(
    `time:${locale}`,
    () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: TIME_ZONE }),
  ).format(date);
}

export function formatMonth(yearMonth: string, locale: string): string {
  const date = new Date(`${yearMonth}-15T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return yearMonth;
  return cached(
    `month:${locale}`,
    () => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }),
  ).format(date);
}

export function formatAmount(cents: number, locale: string): string {
  return cached(
    `amount:${locale}`,
    () => new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR' }),
  ).format(cents / 100);
}

export function formatTelephone(value: string): string {
  const parsed = parsePhoneNumberFromString(value, 'NL');
  if (!parsed) return value;
  return parsed.country === 'NL' ? parsed.formatNational() : parsed.formatInternational();
}

export function formatPostcode(value: string): string {
  const match = /^(\d{4})\s*([A-Za-z]{2})$/.exec(value);
  return match ? `${match[1]} ${match[2]?.toUpperCase()}` : value;
}

/** A spoken code in groups of three ("482 913") is easier to remember and to repeat to a colleague. */
export function formatCode(code: string): string {
  return code.replace(/(\d{3})(?=\d)/g, '$1 ');
}
