/** A problem with an input file: reported to the user as a plain message, never as a stack trace. */
export class RoadImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoadImportError';
  }
}

/** A problem with a graph file (wrong magic, truncated, newer version). */
export class RoadGraphFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoadGraphFormatError';
  }
}
