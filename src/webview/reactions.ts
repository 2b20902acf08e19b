// Folds reactions into the messages they name. A reaction is a message of its own (see the body's
// `react`): who put which emoji on which message, or took it back. For each member, target and emoji
// the latest by the sender's clock counts (message id breaking ties), so the order reactions arrive
// in (live, or in history pages that come newest first) changes nothing. Reactions to messages not
// loaded yet are kept until the target arrives; all of it is bounded, the oldest targets going first.
import type { ChatItem } from '../protocol/panel';
import { TargetBook, later } from '../protocol/targetBook';

/** The fixed set offered on every message; any other single emoji can be typed. */
export const QUICK_REACTIONS = ['👍', '❤️', '😄', '🎉', '👀', '🚀'] as const;

/** Most reaction entries (member, target, emoji) kept in all. */
export const MAX_REACTION_ENTRIES = 20_000;
/** Most different emoji on one message: a member cannot grow one message's line without limit. */
export const MAX_EMOJI_PER_MESSAGE = 20;

export interface ReactionSummary {
  readonly emoji: string;
  /** Members whose latest word on this emoji is "on", in the order they first reacted. */
  readonly names: readonly string[];
  /** Whether the user is among them (their own reaction, which a click takes back). */
  readonly mine: boolean;
}

interface Entry {
  readonly id: string;
  readonly timestamp: number;
  readonly on: boolean;
  readonly own: boolean;
}

type Reaction = ChatItem & { readonly react: NonNullable<ChatItem['react']> };

export function isReaction(item: ChatItem): item is Reaction {
  return item.react !== undefined;
}

/** Target id → emoji → member → their latest entry. */
export class ReactionBook extends TargetBook<Map<string, Map<string, Entry>>> {
  constructor(maxEntries = MAX_REACTION_ENTRIES) {
    super(maxEntries);
  }

  /** Takes in reactions; returns the ids of the messages whose reactions changed. */
  add(items: readonly Reaction[]): Set<string> {
    const changed = new Set<string>();
    for (const item of items) if (this.addOne(item)) changed.add(item.react.to);
    return changed;
  }

  /** One of the user's reactions was not sent: it no longer counts. Returns its target, if it was held. */
  failed(id: string): string | undefined {
    for (const [target, emojis] of this.targets) {
      for (const [emoji, members] of emojis) {
        for (const [member, entry] of members) {
          if (entry.id !== id) continue;
          members.delete(member);
          this.entries -= 1;
          if (members.size === 0) emojis.delete(emoji);
          if (emojis.size === 0) this.targets.delete(target);
          return target;
        }
      }
    }
    return undefined;
  }

  /** The emoji on a message with who put them there, in the order each emoji first came; none taken back. */
  summary(target: string): ReactionSummary[] {
    const emojis = this.targets.get(target);
    if (!emojis) return [];
    const summaries: ReactionSummary[] = [];
    for (const [emoji, members] of emojis) {
      const on = [...members].filter(([, entry]) => entry.on);
      if (on.length > 0) summaries.push({ emoji, names: on.map(([member]) => member), mine: on.some(([, entry]) => entry.own) });
    }
    return summaries;
  }

  private addOne(item: Reaction): boolean {
    this.noteSeq(item.seq);
    const { to, emoji, on } = item.react;
    const entry: Entry = { id: item.id, timestamp: item.timestamp, on, own: item.own };
    let emojis = this.targets.get(to);
    if (!emojis) this.targets.set(to, (emojis = new Map()));
    let members = emojis.get(emoji);
    if (!members) {
      if (emojis.size >= MAX_EMOJI_PER_MESSAGE) return false;
      emojis.set(emoji, (members = new Map()));
    }
    const member = item.username;
    const current = members.get(member);
    if (current && !later(entry, current)) return false;
    members.set(member, entry);
    if (!current) {
      this.entries += 1;
      this.trim(to);
    }
    return true;
  }

  protected sizeOf(emojis: Map<string, Map<string, Entry>>): number {
    let size = 0;
    for (const members of emojis.values()) size += members.size;
    return size;
  }
}
