/** Base of every error Shelfwise throws on purpose; anything else is a bug. */
export class ShelfwiseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration that is missing or malformed; lists every problem at once. */
export class ConfigError extends ShelfwiseError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Input from outside (a webhook payload, a CSV row, a form) that cannot be accepted. */
export class InvalidInputError extends ShelfwiseError {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(details.length ? `${message}: ${details.join('; ')}` : message);
  }
}

/** The token-encryption key does not open what was stored with it. */
export class EncryptionKeyMismatchError extends ShelfwiseError {}
