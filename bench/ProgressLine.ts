const NON_TTY_INTERVAL_MS = 5000;

/** The progress line on stderr: redrawn in place on a terminal, an occasional plain line in a log. */
export class ProgressLine {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastPlainLine = 0;

  update(text: string): void {
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${text}`);
    } else if (Date.now() - this.lastPlainLine >= NON_TTY_INTERVAL_MS) {
      this.lastPlainLine = Date.now();
      process.stderr.write(`${text}\n`);
    }
  }

  /** A line that stays, e.g. a finished measurement. */
  print(text: string): void {
    process.stderr.write(this.tty ? `\r\x1b[K${text}\n` : `${text}\n`);
  }
}
