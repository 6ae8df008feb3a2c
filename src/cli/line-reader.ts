// One readline interface per process for prompts, typed or piped. Lines are pulled from the
// interface's async iterator rather than rl.question(): with piped stdin all lines arrive at
// once, and question() would drop those that come before it is called.
import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';

export class LineReader {
  /** True when a person types (stdin is a terminal): echo control, line editing, Ctrl-C. */
  readonly interactive: boolean;
  private muted = false;
  private readonly rl: Interface;
  private readonly lines: AsyncIterator<string>;

  constructor(
    private readonly input: NodeJS.ReadStream = process.stdin,
    private readonly output: NodeJS.WriteStream = process.stdout,
  ) {
    this.interactive = Boolean(input.isTTY);
    // readline echoes keystrokes to its output; routing it through this sink lets
    // askHidden() silence the echo of a password without touching the terminal modes.
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        if (!this.muted) output.write(chunk);
        done();
      },
    });
    Object.defineProperty(sink, 'columns', { get: () => output.columns });
    this.rl = createInterface({ input, output: sink, terminal: this.interactive });
    // Ctrl-C ends input like Ctrl-D (callers treat null as "quit") instead of pausing forever.
    this.rl.on('SIGINT', () => {
      this.muted = false;
      output.write('\n');
      this.rl.close();
    });
    this.lines = this.rl[Symbol.asyncIterator]();
  }

  /** The next line (without newline), or null at end of input. */
  async ask(prompt: string): Promise<string | null> {
    this.rl.setPrompt(prompt);
    this.rl.prompt();
    const next = await this.lines.next();
    // Piped input is not echoed, so end the prompt line ourselves to keep output readable.
    if (!this.interactive) this.output.write('\n');
    return next.done ? null : next.value;
  }

  /** Like ask(), but nothing typed is shown. */
  async askHidden(prompt: string): Promise<string | null> {
    this.rl.setPrompt('');
    this.output.write(prompt);
    this.muted = true;
    try {
      const next = await this.lines.next();
      return next.done ? null : next.value;
    } finally {
      this.muted = false;
      this.output.write('\n');
    }
  }

  close(): void {
    this.rl.close();
  }
}

/** All of stdin (for --password-stdin): the first line, without its line ending. */
export async function readFirstLineOfStdin(input: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}
