import * as assert from 'assert';
import { AckedMessages } from '../../../src/client/ackedMessages';
import { caughtUpAfterAbsence, cleanUp, connectedPair, next, record, stateIs } from './helpers';
import type { SendOutcome } from './scriptedServer';

describe('acknowledged messages checked on reconnect', () => {
  afterEach(cleanUp);

  it('keeps at most its limit, dropping the oldest, and starts the check at the lowest bound', () => {
    const acked = new AckedMessages(2);
    for (const [id, storedAfter] of [['a', 5], ['b', 3], ['c', 4]] as const) acked.add(id, { localId: id, envelope: Buffer.from(id), storedAfter });
    assert.deepStrictEqual([acked.size, acked.storedAfter], [2, 3]);
    acked.beginCheck();
    acked.add('d', { localId: 'd', envelope: Buffer.from('d'), storedAfter: 9 });
    acked.seen('b');
    assert.deepStrictEqual(acked.takeMissing().map((m) => m.localId), ['c']);
    assert.deepStrictEqual([acked.size, acked.storedAfter], [1, 9]);
  });

  for (const forged of ['forge-ack', 'forge-replay'] as const satisfies readonly SendOutcome[]) {
    it(`re-seals and sends again, after the next connection's catch-up, a message a forged ${forged === 'forge-ack' ? 'ack' : 'replay answer'} said was stored`, async () => {
      const { server, client } = await connectedPair();
      server.outcome = () => forged;
      const deliveries = record(client, 'delivery');
      const sent = next(client, 'delivery', (d) => d.status === 'sent');
      const local = client.send({ text: 'must arrive' });
      await sent;
      assert.strictEqual(server.stored.length, 0);

      server.outcome = () => 'store';
      await server.stop();
      await next(client, 'state', stateIs('reconnecting'));
      const stored = next(client, 'delivery', (d) => d.status === 'sent' && d.seq !== undefined);
      await server.restart();
      assert.deepStrictEqual(await stored, { id: local.id, status: 'sent', seq: 1 });
      assert.strictEqual(server.stored.length, 1);
      const opened = server.open(server.stored[0].envelope);
      assert.strictEqual(JSON.parse(opened.plaintext.toString('utf8')).text, 'must arrive');
      assert.notStrictEqual(opened.messageId.toString('hex'), local.id, 'sealed anew, not the envelope the forger saw');
      assert.deepStrictEqual(deliveries.map((d) => d.status), ['sent', 'pending', 'sent']);
    });
  }

  it('sends nothing again for a message the catch-up shows stored', async () => {
    const { server, client } = await connectedPair();
    server.echo = 'none';
    const acked = next(client, 'delivery', (d) => d.status === 'sent');
    client.send({ text: 'stored once' });
    await acked;
    await caughtUpAfterAbsence(server, client, 'while away');
    const later = next(client, 'delivery', (d) => d.status === 'sent');
    client.send({ text: 'after the check' });
    await later;
    assert.deepStrictEqual(server.stored.map((m) => JSON.parse(server.open(m.envelope).plaintext.toString('utf8')).text), ['stored once', 'while away', 'after the check']);
  });
});
