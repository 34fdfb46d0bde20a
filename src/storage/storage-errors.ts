/** The progress file of `userId`'s sanitised name belongs to another user id. */
export class FileCollision extends Error {
  readonly path: string;

  constructor(path: string) {
    super(`progress file ${path} belongs to another user id`);
    this.name = "FileCollision";
    this.path = path;
  }
}

/** A progress file that cannot be read as one; the message names the file and the reason. */
export class ProgressFileDamaged extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string) {
    super(`progress file ${path} is damaged: ${reason}`);
    this.name = "ProgressFileDamaged";
    this.path = path;
    this.reason = reason;
  }
}
