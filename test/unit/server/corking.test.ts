import * as assert from 'assert';
import { Duplex } from 'stream';
import { Corking } from '../../../src/server/corking';

/** A socket stand-in that records each write call the stream makes: one per writev batch. */
function recordingSocket(): { socket: Duplex; writes: string[][] } {
  const writes: string[][] = [];
  const socket = new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, done) => (writes.push([chunk.toString()]), done()),
    writev: (chunks, done) => (writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString())), done()),
  });
  return { socket, writes };
}

describe('socket corking', () => {
  it('writes the frames of one turn in one write per socket, at the end of the turn', async () => {
    const [one, two] = [recordingSocket(), recordingSocket()];
    const corking = new Corking([one.socket, two.socket]);
    corking.forTurn();
    corking.forTurn();
    for (const text of ['a', 'b', 'c']) one.socket.write(text);
    two.socket.write('d');
    assert.deepStrictEqual([one.writes, two.writes], [[], []]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual([one.writes, two.writes], [[['a', 'b', 'c']], [['d']]]);
  });

  it('uncorks as soon as a synchronous run returns, also when it throws', () => {
    const { socket, writes } = recordingSocket();
    const corking = new Corking([socket]);
    corking.during(() => ['a', 'b'].forEach((text) => socket.write(text)));
    assert.deepStrictEqual(writes, [['a', 'b']]);
    assert.throws(() => corking.during(() => {
      socket.write('c');
      throw new Error('boom');
    }), /boom/);
    assert.deepStrictEqual(writes, [['a', 'b'], ['c']]);
  });
});
