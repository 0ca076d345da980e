// What a CLI command says when it cannot do its job: one line, no stack. A usage error
// (a wrong command, flag or value) exits 2 and points at the command's --help; a failure
// to do the work (a port in use, a folder held, no venue answering) exits 1 and says
// what to do instead.

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help explains it, e.g. "account create". */
    readonly command = "",
  ) {
    super(message);
  }
}

export class CliFailure extends Error {}

export const PROGRAM = "papi-venue";

/** The one line a usage error prints. */
export function usageLine(message: string, command: string): string {
  const help = command === "" ? `${PROGRAM} --help` : `${PROGRAM} ${command} --help`;
  return `${PROGRAM}: ${message} (see '${help}')`;
}

/** Quotes a word for a POSIX shell when it needs it, so printed commands run as printed. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
