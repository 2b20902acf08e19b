// Addresses for the embedded server: the one this machine's client uses, and the one teammates are
// given. Free of the vscode API so the rules are unit-tested.
import type { NetworkInterfaceInfo } from 'os';
import { Translate, english } from './words';

const WILDCARD_TO_LOOPBACK: Record<string, string> = { '0.0.0.0': '127.0.0.1', '::': '::1' };
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

function wsAddress(host: string, port: number): string {
  return `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Where this machine reaches a server bound to `host`: a wildcard bind is reached over loopback. */
export function localAddress(host: string, port: number): string {
  return wsAddress(WILDCARD_TO_LOOPBACK[host] ?? host, port);
}

/** The path of the room `address` names on the server reached at `local` ('' for its default room, '/<name>' for a named one), or undefined for another server. */
export function roomPathOn(local: string, address: string): string | undefined {
  if (address === local) return '';
  return address.startsWith(`${local}/`) ? address.slice(local.length) : undefined;
}

export type Invite =
  | { readonly reachable: true; readonly address: string }
  /** Bound to loopback (or no LAN address found): only this machine can connect. */
  | { readonly reachable: false; readonly address: string; readonly why: string };

/** The address to give teammates for a server bound to host:port; never includes the password. */
export function invite(host: string, port: number, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, t: Translate = english): Invite {
  if (LOOPBACK.has(host) || host.startsWith('127.')) {
    return { reachable: false, address: wsAddress(host, port), why: t('The server listens on {0}, which only this computer can reach.', host) };
  }
  if (!(host in WILDCARD_TO_LOOPBACK)) return { reachable: true, address: wsAddress(host, port) };
  // Bound to every interface: offer the first LAN address, IPv4 first because people type it.
  const candidates = Object.values(interfaces).flatMap((list) => list ?? []).filter((info) => !info.internal);
  const lan = candidates.find((info) => info.family === 'IPv4') ?? candidates.find((info) => info.family === 'IPv6' && !info.address.startsWith('fe80:'));
  if (!lan) return { reachable: false, address: localAddress(host, port), why: t('This computer has no network address other than loopback.') };
  return { reachable: true, address: wsAddress(lan.address, port) };
}
