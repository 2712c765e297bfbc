/** The error every checkpoint failure throws: what went wrong, in which file or config field. */

/** What kind of failure: no checkpoint, a damaged file, a config that does not match, bad input. */
export type CheckpointErrorKind = "missing" | "corrupt" | "mismatch" | "invalid";

/** A refused checkpoint save or load; `file` or `field` names the culprit. */
export class CheckpointError extends Error {
  readonly kind: CheckpointErrorKind;
  /** The file inside the checkpoint directory, when one is to blame. */
  readonly file?: string;
  /** The config field path (e.g. `model.dModel`), for a mismatch or invalid input. */
  readonly field?: string;

  constructor(
    kind: CheckpointErrorKind,
    message: string,
    where: { file?: string; field?: string } = {},
  ) {
    super(message);
    this.name = "CheckpointError";
    this.kind = kind;
    this.file = where.file;
    this.field = where.field;
  }
}
