/**
 * What a command answers: a text for people and an object for `--json`, and
 * the exit code (0 ok, 1 failure, 2 usage).
 */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2 } as const;

export class CliError extends Error {
  constructor(message: string, readonly exitCode: 1 | 2, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.USAGE);
}

export interface Result {
  text: string;
  json: Record<string, unknown>;
  /** Default 0; doctor answers 1 when a check failed. */
  exitCode?: number;
}
