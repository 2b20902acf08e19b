// Server addresses are WebSocket URLs only. A typo such as "http://" or a bare host name fails here,
// at construction, with a message that says what to type, instead of later as a vague network error.
// The path names the room (protocol/roomName.ts).
import { roomFromPath } from '../protocol/roomName';
import { ChatClientError } from './errors';

const EXAMPLE = 'use ws://host:port or wss://host:port, with /room after it for a named room';

export function parseServerAddress(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    // The address itself is not echoed: it may hold credentials typed by mistake.
    throw new ChatClientError('invalid-address', `the server address is not a valid URL; ${EXAMPLE}`);
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ChatClientError('invalid-address', `the server address must start with ws:// or wss://, not ${url.protocol}//; ${EXAMPLE}`);
  }
  if (url.hostname === '') throw new ChatClientError('invalid-address', `the server address has no host; ${EXAMPLE}`);
  if (url.username !== '' || url.password !== '') {
    throw new ChatClientError('invalid-address', 'the server address must not contain a user name or password; the room password is asked for separately');
  }
  // ws refuses URLs with a fragment; say so up front.
  if (url.hash !== '') throw new ChatClientError('invalid-address', `the server address must not contain a "#" fragment; ${EXAMPLE}`);
  if (url.search !== '') throw new ChatClientError('invalid-address', `the server address must not contain a "?" query; ${EXAMPLE}`);
  // The path picks the room on the server: "/" the default one, "/<name>" a named one.
  const room = roomFromPath(url.pathname);
  if (!room.ok) throw new ChatClientError('invalid-address', room.problem);
  return url;
}

/**
 * The one form a room's address is kept and compared in (session map, joined rooms, pins, passwords):
 * as the URL parser normalises it (host lower-case, default port dropped), without the "/" of a
 * server's default room, so "ws://Host:7777" and "ws://host:7777/" are one room. Throws, like
 * parseServerAddress, for an address that is not usable.
 */
export function canonicalAddress(address: string): string {
  const { href, pathname } = parseServerAddress(address);
  return pathname === '/' ? href.slice(0, -1) : href;
}

/** Null for a usable server address, otherwise what is wrong with it, in the words above. */
export function addressProblem(address: string): string | null {
  try {
    parseServerAddress(address);
    return null;
  } catch (error) {
    if (error instanceof ChatClientError) return error.message;
    throw error;
  }
}
