// A link to one message of a room, as "Copy Link" makes it and the extension's URI handler reads
// it: `<scheme>://<extension id>/message/<message id>?room=<room address>`. The scheme is the one
// the running VS Code opens (vscode, vscode-insiders, code-oss...), so the link opens this
// extension in it. It names the room by its address and the message by the id every member knows
// it by; it carries no key and no text. A link is input from anywhere (a chat, a web page, a
// ticket): every part is checked, and a bad one says what is wrong with it. Free of the vscode API
// so the rule is unit-tested.
import { addressProblem, canonicalAddress } from '../../client';
import { isMessageId } from '../../protocol/body';
import { Translate, english } from './words';

/** Where the link leads: VS Code's URI scheme and this extension's id. */
export interface LinkHome {
  readonly scheme: string;
  readonly extensionId: string;
}

const PATH_PREFIX = '/message/';
const ROOM_PREFIX = 'room=';

export function messageLink(home: LinkHome, room: string, id: string): string {
  return `${home.scheme}://${home.extensionId}${PATH_PREFIX}${id}?${ROOM_PREFIX}${encodeURIComponent(room)}`;
}

/** The parts of a link as vscode.Uri has them: path and query percent-decoded. */
export interface LinkParts {
  readonly path: string;
  readonly query: string;
}

export type LinkedMessage = { readonly ok: true; readonly room: string; readonly id: string } | { readonly ok: false; readonly problem: string };

/**
 * The room (its address in canonical form) and message a link names. The whole query after `room=` is the address (an address holds
 * no "?" or "#", and no "&" a real host name could have, so nothing is split off it). vscode.Uri
 * hands the query decoded; decoding it once more is harmless for an address (it holds no "%") and
 * takes a link whose query reached us still encoded.
 */
export function parseMessageLink({ path, query }: LinkParts, t: Translate = english): LinkedMessage {
  if (!path.startsWith(PATH_PREFIX)) return { ok: false, problem: t('it is not a link to a message of a Secure Chat room') };
  const id = path.slice(PATH_PREFIX.length);
  if (!isMessageId(id)) return { ok: false, problem: t('the message it names is not a message id (32 lowercase hex digits)') };
  if (!query.startsWith(ROOM_PREFIX)) return { ok: false, problem: t('it names no room ("room=" and the room\'s address)') };
  let room: string;
  try {
    room = decodeURIComponent(query.slice(ROOM_PREFIX.length));
  } catch {
    return { ok: false, problem: t('its room address is garbled') };
  }
  const problem = addressProblem(room);
  if (problem !== null) return { ok: false, problem: t('its room address is not valid: {0}', problem) };
  // Canonical, as every joined room's address is: one room is one string ("ws://Host:7777/" is "ws://host:7777").
  return { ok: true, room: canonicalAddress(room), id };
}
