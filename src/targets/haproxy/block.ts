// A section of haproxy.cfg as the template sees it: a header line ("backend route-users") and its
// indented lines. Built in TypeScript so the template only loops and interpolates.
export interface Block {
  /** Comment lines printed above the section header (without "# "). */
  comments: string[];
  header: string;
  /** Indented lines, comments included; "" is a blank line. */
  lines: string[];
}

const INDENT = '    ';

export class BlockBuilder {
  private readonly out: string[] = [];

  constructor(
    private readonly header: string,
    private readonly comments: string[] = [],
  ) {}

  comment(...text: string[]): this {
    for (const t of text) this.out.push(`${INDENT}# ${t}`.trimEnd());
    return this;
  }

  line(...lines: string[]): this {
    for (const l of lines) this.out.push(`${INDENT}${l}`);
    return this;
  }

  blank(): this {
    if (this.out.length > 0 && this.out[this.out.length - 1] !== '') this.out.push('');
    return this;
  }

  build(): Block {
    const lines = [...this.out];
    while (lines[lines.length - 1] === '') lines.pop();
    return { comments: this.comments.map((c) => `# ${c}`.trimEnd()), header: this.header, lines };
  }
}
