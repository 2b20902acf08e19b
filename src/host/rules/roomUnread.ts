// Unread messages per room: what came from others in a room while it was not on screen (another
// room shown, or the panel hidden). The activity-bar badge shows the sum; the room row and the
// quick pick show each room's count; the first unread message is where the panel puts its "New
// messages" divider when the room is shown.
import type { ChatItem } from '../../protocol/panel';

/** Others' messages only: a reaction, an edit or a tombstone changes a message already there. */
export function unreadItems(items: readonly ChatItem[]): readonly ChatItem[] {
  return items.filter((item) => !item.own && !item.react && !item.edit && !item.delete);
}

interface Unread {
  count: number;
  /** The first of them: the divider's place. */
  readonly from: string;
}

export class RoomUnread {
  private readonly rooms = new Map<string, Unread>();

  /** New items of `room` the user did not see; false when none of them counts. */
  add(room: string, items: readonly ChatItem[]): boolean {
    const unread = unreadItems(items);
    if (unread.length === 0) return false;
    const entry = this.rooms.get(room);
    if (entry) entry.count += unread.length;
    else this.rooms.set(room, { count: unread.length, from: unread[0].id });
    return true;
  }

  count(room: string): number {
    return this.rooms.get(room)?.count ?? 0;
  }

  /** Over every room: the badge. */
  total(): number {
    let total = 0;
    for (const entry of this.rooms.values()) total += entry.count;
    return total;
  }

  /** Where the divider goes in `room`: kept after the room is read, until it is out of sight again. */
  from(room: string): string | undefined {
    return this.rooms.get(room)?.from;
  }

  /** On screen: nothing left to count; false when nothing was. */
  read(room: string): boolean {
    const entry = this.rooms.get(room);
    if (!entry || entry.count === 0) return false;
    entry.count = 0;
    return true;
  }

  /** Out of sight (panel hidden, another room shown): a room read through loses its divider, the next unread one places it afresh. */
  hidden(room: string): void {
    if (this.rooms.get(room)?.count === 0) this.rooms.delete(room);
  }

  /** The room was left. */
  forget(room: string): void {
    this.rooms.delete(room);
  }
}
