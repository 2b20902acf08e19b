import * as assert from 'assert';
import { invite, localAddress, roomPathOn } from '../../../../src/host/rules/invite';

const LAN = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '192.168.1.20', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.20/24' }],
};

describe('invite', () => {
  it('loopback cannot be shared, a wildcard bind offers the LAN address', () => {
    assert.strictEqual(localAddress('0.0.0.0', 7777), 'ws://127.0.0.1:7777');
    assert.strictEqual(localAddress('::', 7777), 'ws://[::1]:7777');
    assert.deepStrictEqual(invite('0.0.0.0', 7777, LAN), { reachable: true, address: 'ws://192.168.1.20:7777' });
    assert.deepStrictEqual(invite('192.168.1.20', 7000, LAN), { reachable: true, address: 'ws://192.168.1.20:7000' });
    const loopback = invite('127.0.0.1', 7777, LAN);
    assert.strictEqual(loopback.reachable, false);
    assert.strictEqual(invite('0.0.0.0', 7777, { lo: LAN.lo }).reachable, false);
  });

  it('tells the rooms of this machine\'s server from those of another: the stop of a server takes all of its rooms offline', () => {
    const local = 'ws://127.0.0.1:7777';
    assert.strictEqual(roomPathOn(local, local), '');
    assert.strictEqual(roomPathOn(local, `${local}/design`), '/design');
    assert.strictEqual(roomPathOn(local, 'ws://127.0.0.1:77770'), undefined, 'another port that starts the same');
    assert.strictEqual(roomPathOn(local, 'ws://127.0.0.1:7778/design'), undefined);
    assert.strictEqual(roomPathOn(local, 'ws://team.example:7777'), undefined);
  });
});
