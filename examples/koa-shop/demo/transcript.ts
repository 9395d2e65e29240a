/** The demo's readable output: numbered flows, one ✓ or ✗ per check, short facts — never a secret. */
export class Transcript {
  #checks = 0;
  #failed = 0;
  constructor(readonly write: (line: string) => void) {}

  heading(n: number, title: string): void {
    this.write(`\n${n}. ${title}`);
  }

  note(text: string): void {
    this.write(`   · ${text}`);
  }

  /** Records one check; returns whether it passed. */
  check(ok: boolean, text: string, whyNot?: string): boolean {
    this.#checks++;
    if (!ok) this.#failed++;
    this.write(`   ${ok ? '✓' : '✗'} ${text}${ok || !whyNot ? '' : `\n     ${whyNot}`}`);
    return ok;
  }

  get checks(): number {
    return this.#checks;
  }

  get failed(): number {
    return this.#failed;
  }
}
