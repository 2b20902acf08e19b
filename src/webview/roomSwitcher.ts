// The row of joined rooms above the conversation: each room's name, a dot for its connection and
// its unread count; a click asks the host to show that room. Shown only with two rooms or more (one
// room needs no switching). Names come from the host but are built as text, never markup.
import type { PanelRoom } from '../protocol/panel';
import { button, element, isolate } from './dom';
import { say } from './words';

export class RoomSwitcher {
  readonly root: HTMLElement;

  /** `show` asks the host to show the joined room at that address. */
  constructor(private readonly doc: Document, private readonly show: (address: string) => void) {
    this.root = element(doc, 'nav', 'rooms');
    this.root.hidden = true;
  }

  update(rooms: readonly PanelRoom[]): void {
    this.root.setAttribute('aria-label', say('rooms'));
    this.root.hidden = rooms.length < 2;
    this.root.replaceChildren(...rooms.map((room) => this.entry(room)));
  }

  private entry(room: PanelRoom): HTMLButtonElement {
    const entry = button(this.doc, '', room.active ? 'room active' : 'room', () => {
      if (!room.active) this.show(room.address);
    });
    entry.dataset.address = room.address;
    entry.title = room.address;
    if (room.active) entry.setAttribute('aria-current', 'true');
    entry.append(element(this.doc, 'span', `dot ${room.status === 'connected' ? 'on' : 'off'}`), isolate(element(this.doc, 'span', 'room-name', room.name)));
    if (room.unread > 0) {
      const count = element(this.doc, 'span', 'room-unread', String(room.unread));
      const words = room.unread === 1 ? say('roomUnreadOne') : say('roomUnread', room.unread);
      count.title = words;
      count.setAttribute('aria-label', words);
      entry.append(count);
    }
    return entry;
  }
}
