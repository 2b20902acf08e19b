// Which room of a server a WebSocket URL names: the path. `/` (or nothing) is the server's default
// room, the one a data directory has always served; `/<name>` is a named room. One rule for the
// name, shared by the server (which room a socket asked for), the client (an address it will not
// dial) and the host (a name typed for a new room). The rule keeps a name safe as a directory name,
// a log field and a URL path segment without escaping.

export const MAX_ROOM_NAME_LENGTH = 64;
const ROOM_NAME = new RegExp(`^[a-z0-9_-]{1,${MAX_ROOM_NAME_LENGTH}}$`);

export const ROOM_NAME_RULE = `1-${MAX_ROOM_NAME_LENGTH} characters of a-z, 0-9, "-" and "_"`;

/** Null for a valid room name, otherwise the rule it breaks. */
export function roomNameProblem(name: string): string | null {
  return ROOM_NAME.test(name) ? null : `a room name must be ${ROOM_NAME_RULE}`;
}

/** The room a URL path names: `null` for the default room; a problem when the path names none. */
export type RoomPath = { readonly ok: true; readonly room: string | null } | { readonly ok: false; readonly problem: string };

export function roomFromPath(pathname: string): RoomPath {
  if (pathname === '' || pathname === '/') return { ok: true, room: null };
  const name = pathname.slice(1);
  const problem = pathname.startsWith('/') ? roomNameProblem(name) : 'the path must start with "/"';
  return problem === null ? { ok: true, room: name } : { ok: false, problem: `the address path must be "/" or "/<room>": ${problem}` };
}
