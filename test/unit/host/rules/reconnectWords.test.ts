import * as assert from 'assert';
import { reconnectReasonWords } from '../../../../src/host/rules/reconnectWords';

describe('reconnect words', () => {
  it('puts the socket errors a person meets into sentences, without the code or the address', () => {
    const cases: [string, string][] = [
      ['connect ECONNREFUSED 127.0.0.1:7777', 'Nothing answers at this address: the server may be stopped or restarting.'],
      ['getaddrinfo ENOTFOUND chat.example', 'The server’s name could not be found: check the address and the network.'],
      ['getaddrinfo EAI_AGAIN chat.example', 'The server’s name could not be found: check the address and the network.'],
      ['connect ETIMEDOUT 10.0.0.5:7777', 'The network does not reach the server: check the connection or a VPN.'],
      ['connect EHOSTUNREACH 10.0.0.5:7777', 'The network does not reach the server: check the connection or a VPN.'],
      ['read ECONNRESET', 'The connection was cut off.'],
      ['connect EACCES 10.0.0.5:7777', 'The server could not be reached.'],
    ];
    for (const [reason, words] of cases) {
      assert.strictEqual(reconnectReasonWords(reason), words, reason);
      assert.doesNotMatch(reconnectReasonWords(reason), /\bE[A-Z]{2,}\b|\d+\.\d+\.\d+\.\d+/u, reason);
    }
  });

  it('keeps the client\'s own words, as a sentence', () => {
    assert.strictEqual(reconnectReasonWords('the server is shutting down'), 'The server is shutting down.');
    assert.strictEqual(reconnectReasonWords('the server stopped answering'), 'The server stopped answering.');
    assert.strictEqual(reconnectReasonWords('Already a sentence.'), 'Already a sentence.');
  });
});
