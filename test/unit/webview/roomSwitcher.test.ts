import * as assert from 'assert';
import type { PanelRoom } from '../../../src/protocol/panel';
import { RoomSwitcher } from '../../../src/webview/roomSwitcher';
import { newDocument } from './dom';

const TEAM: PanelRoom = { address: 'ws://team.example:7777', name: 'team.example:7777', unread: 0, active: true, status: 'connected' };
const DESIGN: PanelRoom = { address: 'ws://team.example:7777/design', name: 'design', unread: 3, active: false, status: 'reconnecting' };

describe('room row', () => {
  it('lists the joined rooms with their unread counts, the one shown marked, and asks for another on a click', () => {
    const doc = newDocument();
    const asked: string[] = [];
    const row = new RoomSwitcher(doc, (address) => asked.push(address));
    row.update([TEAM, DESIGN]);
    assert.strictEqual(row.root.hidden, false);
    assert.strictEqual(row.root.getAttribute('aria-label'), 'Rooms');
    const entries = Array.from(row.root.querySelectorAll('button'));
    assert.deepStrictEqual(entries.map((entry) => entry.textContent), ['team.example:7777', 'design3']);
    assert.deepStrictEqual(entries.map((entry) => entry.getAttribute('aria-current')), ['true', null]);
    assert.deepStrictEqual(entries.map((entry) => entry.title), [TEAM.address, DESIGN.address]);
    assert.deepStrictEqual(entries.map((entry) => entry.querySelector('.dot')?.className), ['dot on', 'dot off']);
    assert.strictEqual(entries[1].querySelector('.room-unread')?.getAttribute('aria-label'), '3 unread messages');
    entries[0].click();
    entries[1].click();
    assert.deepStrictEqual(asked, [DESIGN.address], 'the room shown is not asked for again');
  });

  it('says one unread message in the singular, and shows no count for a room read through', () => {
    const row = new RoomSwitcher(newDocument(), () => undefined);
    row.update([TEAM, { ...DESIGN, unread: 1 }]);
    assert.strictEqual(row.root.querySelector('.room-unread')?.getAttribute('aria-label'), '1 unread message');
    row.update([TEAM, { ...DESIGN, unread: 0 }]);
    assert.strictEqual(row.root.querySelectorAll('.room-unread').length, 0);
  });

  it('is hidden with fewer than two rooms: there is nothing to switch to', () => {
    const row = new RoomSwitcher(newDocument(), () => undefined);
    row.update([TEAM]);
    assert.strictEqual(row.root.hidden, true);
    row.update([]);
    assert.strictEqual(row.root.hidden, true);
  });

  it('shows a room name as text, never markup', () => {
    const row = new RoomSwitcher(newDocument(), () => undefined);
    row.update([TEAM, { ...DESIGN, name: '<img src=x onerror=alert(1)>' }]);
    assert.strictEqual(row.root.querySelectorAll('img').length, 0);
    assert.strictEqual(row.root.querySelectorAll('.room-name')[1].textContent, '<img src=x onerror=alert(1)>');
    assert.strictEqual(row.root.querySelectorAll('.room-name')[1].getAttribute('dir'), 'auto');
  });
});
