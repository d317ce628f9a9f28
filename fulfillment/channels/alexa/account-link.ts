// Account linking: a customer who linked their Polderlink account in the Alexa app is known from the first word.
// https://developer.amazon.com/en-US/docs/alexa/account-linking/understand-account-linking.html

/**
 * The customer id an account-linking access token stands for. Convention of the sample brand: its authorization
 * server issues the customer id as the access token. A brand with a real OAuth server maps its tokens here (or
 * introspects them) and the engine looks the id up with `Backend.findCustomerById`, marking the customer verified.
 */
export function linkedCustomerIdFor(accessToken: string | null): string | undefined {
  return accessToken?.trim() || undefined;
}
