import * as assert from 'assert';
import { RoomUnread, unreadItems } from '../../../../src/host/rules/roomUnread';
import type { ChatItem } from '../../../../src/protocol/panel';

const TEAM = 'ws://team.example:7777';
const DESIGN = 'ws://team.example:7777/design';

const item = (id: string, fields: Partial<ChatItem> = {}): ChatItem => ({ id, username: 'bob', timestamp: 1_700_000_000_000, text: 'hi', own: false, status: 'sent', ...fields });

describe('unread per room', () => {
  it('counts others\' messages only: not own ones, reactions, edits or tombstones', () => {
    const items = [item('01'), item('02', { own: true }), item('03', { react: { to: '01', emoji: '👍', on: true } }), item('04', { edit: { to: '01' } }), item('05', { delete: { to: '01' } }), item('06')];
    assert.deepStrictEqual(unreadItems(items).map((entry) => entry.id), ['01', '06']);
    const unread = new RoomUnread();
    assert.strictEqual(unread.add(TEAM, items.slice(1, 5)), false, 'nothing to count');
    assert.strictEqual(unread.add(TEAM, items), true);
    assert.strictEqual(unread.count(TEAM), 2);
  });

  it('keeps a count per room and sums them for the badge', () => {
    const unread = new RoomUnread();
    unread.add(TEAM, [item('01'), item('02')]);
    unread.add(DESIGN, [item('03')]);
    unread.add(TEAM, [item('04')]);
    assert.deepStrictEqual([unread.count(TEAM), unread.count(DESIGN), unread.count('ws://other.example:7777'), unread.total()], [3, 1, 0, 4]);
    unread.forget(TEAM);
    assert.deepStrictEqual([unread.count(TEAM), unread.total()], [0, 1]);
  });

  it('puts the divider at the first unread message and keeps it there once read, until the room is out of sight', () => {
    const unread = new RoomUnread();
    unread.add(TEAM, [item('01')]);
    unread.add(TEAM, [item('02')]);
    assert.strictEqual(unread.from(TEAM), '01');
    assert.strictEqual(unread.read(TEAM), true);
    assert.strictEqual(unread.read(TEAM), false, 'nothing left to read');
    assert.deepStrictEqual([unread.count(TEAM), unread.from(TEAM)], [0, '01']);
    unread.hidden(TEAM);
    assert.strictEqual(unread.from(TEAM), undefined);
    unread.add(TEAM, [item('07')]);
    assert.strictEqual(unread.from(TEAM), '07', 'the next unread message places it afresh');
  });

  it('keeps a room\'s count and divider when it goes out of sight unread', () => {
    const unread = new RoomUnread();
    unread.add(DESIGN, [item('03')]);
    unread.hidden(DESIGN);
    assert.deepStrictEqual([unread.count(DESIGN), unread.from(DESIGN)], [1, '03']);
  });
});
