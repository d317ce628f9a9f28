// The text of anything thrown, for log lines and error messages that wrap it.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
