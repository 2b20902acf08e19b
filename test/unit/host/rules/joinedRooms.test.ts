import * as assert from 'assert';
import { JoinedRooms, roomLabel } from '../../../../src/host/rules/joinedRooms';
import { MAX_JOINED_ROOMS } from '../../../../src/protocol/limits';
import { MemoryState } from './memoryState';

const TEAM = 'ws://team.example:7777';
const DESIGN = 'ws://team.example:7777/design';
const OWN = 'ws://127.0.0.1:7778';

describe('joined rooms', () => {
  const passwords = new Map([[TEAM, 'secret'], [DESIGN, 'other secret']]);
  const password = async (address: string) => passwords.get(address);
  /** Rejoins from `state`, recording each room put back, whether in the background, and whether connected or kept offline. */
  async function rejoin(state: MemoryState, connected = true): Promise<{ joined: string[]; calls: [string, 'background' | 'shown', 'connect' | 'offline'][] }> {
    const calls: [string, 'background' | 'shown', 'connect' | 'offline'][] = [];
    const joined = await new JoinedRooms(state).rejoin(password, async (address, { background, connect }) => {
      calls.push([address, background ? 'background' : 'shown', connect ? 'connect' : 'offline']);
      return connected;
    });
    return { joined, calls };
  }
  /** A fresh store with these rooms joined, in this order. */
  async function joinedTo(...addresses: string[]): Promise<{ state: MemoryState; rooms: JoinedRooms }> {
    const state = new MemoryState();
    const rooms = new JoinedRooms(state);
    for (const address of addresses) await rooms.joined(address);
    return { state, rooms };
  }

  it('rejoins every room in the order joined, the one shown last in front, the others in the background', async () => {
    const { state, rooms } = await joinedTo(TEAM, DESIGN);
    await rooms.shown(TEAM);
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: false }, { address: DESIGN, offline: false }]);
    assert.strictEqual(rooms.active, TEAM);
    assert.deepStrictEqual(await rejoin(state), { joined: [TEAM, DESIGN], calls: [[TEAM, 'shown', 'connect'], [DESIGN, 'background', 'connect']] });
  });

  it('keeps a room shown that is not in the list (the own server\'s), so none of the list takes its place at start', async () => {
    const { state, rooms } = await joinedTo(TEAM);
    await rooms.shown(OWN);
    assert.strictEqual(rooms.active, OWN);
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: false }]);
    assert.deepStrictEqual((await rejoin(state)).calls, [[TEAM, 'background', 'connect']]);
  });

  it('puts a room the user disconnected back offline at the next start, and online again once connected', async () => {
    const { state, rooms } = await joinedTo(TEAM, DESIGN);
    await rooms.wentOffline(TEAM);
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: true }, { address: DESIGN, offline: false }]);
    const { joined, calls } = await rejoin(state);
    assert.deepStrictEqual(calls, [[TEAM, 'background', 'offline'], [DESIGN, 'background', 'connect']]);
    assert.deepStrictEqual(joined, [DESIGN]);
    await rooms.joined(TEAM);
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: false }, { address: DESIGN, offline: false }], 'in its place, not moved to the end');
    assert.strictEqual(rooms.wentOffline(OWN), undefined, 'a room not in the list is not added by going offline');
  });

  it('marks the rooms Stop Server took offline, and names those of that server, not one the user disconnected, for its next start', async () => {
    const OWN_DESIGN = `${OWN}/design`;
    const OWN_OPS = `${OWN}/ops`;
    const { state, rooms } = await joinedTo(TEAM, OWN_DESIGN, OWN_OPS);
    const onOwn = (address: string) => address.startsWith(`${OWN}/`);
    await rooms.wentOffline(OWN_OPS);
    await rooms.wentOffline(OWN_DESIGN, 'server-stopped');
    assert.strictEqual(rooms.wentOffline(OWN_OPS, 'server-stopped'), undefined, 'offline already, it keeps why');
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: false }, { address: OWN_DESIGN, offline: true, serverStopped: true }, { address: OWN_OPS, offline: true }]);
    assert.deepStrictEqual((await rejoin(state)).calls.map(([address, , how]) => [address, how]), [[TEAM, 'connect'], [OWN_DESIGN, 'offline'], [OWN_OPS, 'offline']], 'offline at the next start of VS Code too');
    assert.deepStrictEqual(new JoinedRooms(state).stoppedWithServer(onOwn), [OWN_DESIGN], 'read back from storage');
    assert.deepStrictEqual(rooms.stoppedWithServer((address) => address.startsWith(TEAM)), [], 'another server\'s start brings none back');
    await rooms.joined(OWN_DESIGN);
    assert.deepStrictEqual(rooms.rooms[1], { address: OWN_DESIGN, offline: false }, 'connected again: the mark goes');
    assert.deepStrictEqual(rooms.stoppedWithServer(onOwn), []);
  });

  it('forgets a room left, and which was shown if it was', async () => {
    const { state, rooms } = await joinedTo(TEAM, DESIGN);
    await rooms.shown(DESIGN);
    await rooms.left(TEAM);
    assert.deepStrictEqual(rooms.rooms, [{ address: DESIGN, offline: false }]);
    assert.strictEqual(rooms.active, DESIGN);
    await rooms.left(DESIGN);
    assert.deepStrictEqual(rooms.rooms, []);
    assert.strictEqual(rooms.active, undefined);
    assert.deepStrictEqual(state.values.get('secureChat.joinedRooms'), { rooms: [] });
  });

  it('reads addresses back in their canonical form, each room once', async () => {
    const state = new MemoryState();
    await state.update('secureChat.joinedRooms', {
      rooms: [{ address: 'ws://Team.Example:7777/', offline: false }, { address: TEAM, offline: true }, { address: 'ws://TEAM.example:7777/design', offline: true }],
      active: 'ws://team.example:7777/',
    });
    const rooms = new JoinedRooms(state);
    assert.deepStrictEqual(rooms.rooms, [{ address: TEAM, offline: false }, { address: DESIGN, offline: true }]);
    assert.strictEqual(rooms.active, TEAM);
  });

  it('keeps at most MAX_JOINED_ROOMS, refusing one more and evicting none', async () => {
    const state = new MemoryState();
    const rooms = new JoinedRooms(state);
    for (let i = 0; i <= MAX_JOINED_ROOMS; i++) await rooms.joined(`ws://team.example:7777/room-${i}`);
    assert.strictEqual(rooms.rooms.length, MAX_JOINED_ROOMS);
    assert.strictEqual(rooms.rooms[0].address, 'ws://team.example:7777/room-0');
    assert.strictEqual(rooms.rooms.at(-1)?.address, `ws://team.example:7777/room-${MAX_JOINED_ROOMS - 1}`);
  });

  it('puts back the other rooms when one fails, then rejects with counts only', async () => {
    const { state } = await joinedTo(TEAM, DESIGN, OWN);
    const calls: string[] = [];
    const rejoined = new JoinedRooms(state).rejoin(password, async (address) => {
      calls.push(address);
      if (address === TEAM) throw new Error(`cannot reach ${address}`);
      return true;
    });
    await assert.rejects(rejoined, (error: Error) => error.message === '1 of 3 joined rooms could not be put back (1 connected)');
    assert.deepStrictEqual(calls, [TEAM, DESIGN, OWN]);
  });

  it('never prompts at start: a room whose password is not stored waits offline, and one that did not connect is not reported joined', async () => {
    const state = new MemoryState();
    const rooms = new JoinedRooms(state);
    await rooms.joined('ws://elsewhere.example:7777');
    await rooms.joined(TEAM);
    assert.deepStrictEqual(await rejoin(state), { joined: [TEAM], calls: [['ws://elsewhere.example:7777', 'background', 'offline'], [TEAM, 'background', 'connect']] });
    assert.deepStrictEqual((await rejoin(state, false)).joined, []);
  });

  it('reads nothing from a stored value that is not a list of rooms', async () => {
    const bad: unknown[] = [
      42, 'ws://team.example:7777', [TEAM], { rooms: 'x' }, { rooms: [{ address: 'http://team.example', offline: false }] },
      { rooms: [{ address: TEAM }] }, { rooms: [{ address: TEAM, offline: 'no' }] }, { rooms: [{ address: TEAM, offline: true, serverStopped: 'yes' }] }, { rooms: [], active: 'not a url' },
      { rooms: Array(MAX_JOINED_ROOMS + 1).fill({ address: TEAM, offline: false }) },
    ];
    for (const value of bad) {
      const state = new MemoryState();
      state.values.set('secureChat.joinedRooms', value);
      const rooms = new JoinedRooms(state);
      assert.deepStrictEqual([rooms.rooms, rooms.active], [[], undefined], JSON.stringify(value).slice(0, 80));
    }
  });

  it('names a room by its name, or a server\'s default room by host and port', () => {
    assert.strictEqual(roomLabel(DESIGN), 'design');
    assert.strictEqual(roomLabel(TEAM), 'team.example:7777');
    assert.strictEqual(roomLabel('ws://team.example/'), 'team.example');
    assert.strictEqual(roomLabel('ws://[::1]:7777/ops'), 'ops');
  });
});
