/** Counters a health endpoint reports; one instance per process. */
export class StorageMetrics {
  #fileWriteFailures = 0;

  recordFileWriteFailure(): void {
    this.#fileWriteFailures += 1;
  }

  snapshot(): { file_write_failures: number } {
    return { file_write_failures: this.#fileWriteFailures };
  }
}
