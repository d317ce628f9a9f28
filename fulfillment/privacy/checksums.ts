// The check digits of payment cards (Luhn), Dutch BSNs (11-proof) and IBANs (mod-97).

/** Luhn: every second digit from the right doubled; the digit sum must be a multiple of 10. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    const digit = Number(digits.charAt(digits.length - 1 - position));
    const weighted = position % 2 === 1 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The BSN 11-proof: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11. */
export function passesElevenProof(digits: string): boolean {
  if (digits.length !== 9) return false;
  let sum = 0;
  for (let position = 0; position < 9; position++) {
    const digit = digits.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) return false;
    sum += (position === 8 ? -1 : 9 - position) * digit;
  }
  return sum % 11 === 0 && sum !== 0;
}

const ALPHANUMERIC_UPPER = /^[A-Z0-9]+$/;

/** ISO 13616: move the first four characters to the end, letters become 10-35, the number mod 97 must be 1. */
export function passesIbanCheck(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.toUpperCase();
  if (!ALPHANUMERIC_UPPER.test(rearranged)) return false;
  // The remainder digit by digit: the same as mod 97 of the whole number, and far inside the safe integer range.
  let remainder = 0;
  for (let position = 0; position < rearranged.length; position++) {
    const code = rearranged.charCodeAt(position);
    if (code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else {
      // A letter is two digits, 10 (A) to 35 (Z).
      remainder = (remainder * 100 + (code - 55)) % 97;
    }
  }
  return remainder === 1;
}
