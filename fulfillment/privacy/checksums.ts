// The check digits of payment cards (Luhn), Dutch BSNs (11-proof) and IBANs (mod-97).

/** Luhn: every second digit from the right doubled; the digit sum must be a multiple of 10. */
export function passesLuhn(digits: string): boolean {
  const sum = [...digits].reverse().reduce((total, character, position) => {
    const digit = Number(character);
    const weighted = position % 2 === 1 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return digits.length > 0 && sum % 10 === 0;
}

/** The BSN 11-proof: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11. */
export function passesElevenProof(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const sum = [...digits].reduce((total, character, position) => {
    const weight = position === 8 ? -1 : 9 - position;
    return total + weight * Number(character);
  }, 0);
  return sum % 11 === 0 && sum !== 0;
}

/** ISO 13616: move the first four characters to the end, letters become 10-35, the number mod 97 must be 1. */
export function passesIbanCheck(iban: string): boolean {
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`.toUpperCase();
  if (!/^[A-Z0-9]+$/.test(rearranged)) return false;
  const numeric = [...rearranged].map((character) => parseInt(character, 36).toString()).join('');
  // Chunks of 7 digits keep the running remainder far inside the safe integer range.
  const remainder = (numeric.match(/\d{1,7}/g) ?? []).reduce(
    (carry, chunk) => Number(`${carry}${chunk}`) % 97,
    0,
  );
  return remainder === 1;
}
