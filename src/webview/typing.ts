// "bob is typing…": who of the others is typing, from the host's verified signals. Each name shows
// until TYPING_EXPIRY_MS after its last signal, or until that member's message arrives or they
// leave. The line keeps its height when empty, so it never moves the conversation.
import { TYPING_EXPIRY_MS } from '../protocol/limits';
import type { Say } from '../protocol/panelText';
import { element } from './dom';
import { say } from './words';

/** Names typing, each with when it stops showing; in the order they started. */
export class TypingMembers {
  private readonly until = new Map<string, number>();

  constructor(private readonly expiryMs = TYPING_EXPIRY_MS) {}

  signal(name: string, now: number): void {
    this.until.delete(name);
    this.until.set(name, now + this.expiryMs);
  }

  /** The member's message arrived, or they left: no longer typing. */
  stopped(name: string): void {
    this.until.delete(name);
  }

  clear(): void {
    this.until.clear();
  }

  /** Those typing at `now`; the expired ones are forgotten. */
  names(now: number): string[] {
    for (const [name, until] of this.until) if (until <= now) this.until.delete(name);
    return [...this.until.keys()];
  }

  /** When the next name stops showing, if any shows. */
  nextExpiry(): number | undefined {
    return this.until.size === 0 ? undefined : Math.min(...this.until.values());
  }
}

/** The line's words: one name, two, or "several people" from three on; empty for nobody. */
export function typingWords(names: readonly string[], words: Say): string {
  if (names.length === 0) return '';
  if (names.length === 1) return words('typingOne', names[0]);
  if (names.length === 2) return words('typingTwo', names[0], names[1]);
  return words('typingMany');
}

export class TypingLine {
  readonly root: HTMLElement;
  private readonly members = new TypingMembers();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(doc: Document) {
    this.root = element(doc, 'div', 'typing-line');
    this.root.setAttribute('aria-hidden', 'true');
  }

  signal(name: string): void {
    this.members.signal(name, Date.now());
    this.render();
  }

  stopped(name: string): void {
    this.members.stopped(name);
    this.render();
  }

  clear(): void {
    this.members.clear();
    this.render();
  }

  /** Draws the line and wakes up when its next name expires. */
  private render(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    // dir="auto" isolates each name in the text: set on the line, which holds nothing else.
    this.root.dir = 'auto';
    this.root.textContent = typingWords(this.members.names(now), say);
    const next = this.members.nextExpiry();
    this.timer = next === undefined ? undefined : setTimeout(() => this.render(), Math.max(0, next - now));
  }
}
