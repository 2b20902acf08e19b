// The chat panel's words. English here is the default the panel shows until the host's snapshot
// brings the user's language: the host passes each English text through vscode.l10n.t (the text is
// the key of the l10n bundles) and sends the results in the snapshot's `text`. {0}, {1}... are
// filled in by the panel. Browser-safe: imported by the webview and the host.

export const PANEL_TEXT = {
  /** Until the host's first snapshot (the host puts it in the page, in the user's language). */
  loading: 'Loading Secure Chat…',
  online: 'Online',
  onlineCount: '{0} online',
  you: ' (you)',
  statusConnected: 'Connected',
  statusConnecting: 'Connecting…',
  statusReconnecting: 'Reconnecting…',
  statusOffline: 'Offline',
  statusError: 'Connection failed',
  commandConnect: 'Join a room',
  commandReconnect: 'Reconnect',
  commandSetPassword: 'Set Room Password',
  commandSetUsername: 'Set Username',
  commandStartServer: 'Start Server',
  startRoom: 'Start a room',
  retryNow: 'Retry now',
  retryingIn: 'Retrying in {0} s',
  retryingNow: 'Retrying now…',
  willSend: 'Messages will be sent when reconnected.',
  noRoomKey: 'Messages typed now are sent once the chat has the room’s key, and kept in this window only until then: they are lost if VS Code closes first.',
  noMessages: 'No messages yet',
  welcome: 'Welcome to Secure Chat',
  sayHello: 'Say hello. Messages are encrypted on this machine before they leave it.',
  firstRun: 'Start a room on this computer and invite your team, or join a room a teammate runs. Messages are end-to-end encrypted with the room password.',
  sentOnReconnect: 'Messages you type are sent once the chat is connected again.',
  sending: 'Sending…',
  notSent: 'Not sent',
  notSentBecause: 'Not sent: {0}',
  announceNotSent: 'Message not sent',
  announceNotSentBecause: 'Message not sent: {0}',
  unreadable: 'This message could not be shown.',
  openReference: 'Open {0} at line {1}',
  today: 'Today',
  yesterday: 'Yesterday',
  loadingOlder: 'Loading older messages…',
  loadOlder: 'Load older messages',
  keepsLatest: 'The panel keeps the latest {0} messages',
  startOfConversation: 'Start of the conversation',
  messages: 'Messages',
  composerPlaceholder: 'Message (Shift+Enter: new line)',
  composerLabel: 'Message',
  send: 'Send',
  /** After a member's name: "bob joined". */
  joined: 'joined',
  left: 'left',
  /** Between a member's old and new name: "bob is now robert". */
  isNow: 'is now',
  newMessages: '{0} new messages',
  /** A member's entry in the online list: compare safety numbers with them. */
  verify: 'Verify',
  verifyMemberTitle: 'Compare safety numbers with {0}',
  /** The badge's tooltip, on a verified member's entry and messages. */
  verifiedBadge: 'Verified: you compared safety numbers with this member',
  keyChangedBadge: 'Not the key you verified under this name',
  /** The divider above the first message that arrived while the user was away or scrolled up. */
  unreadDivider: 'New messages',
  jumpToLatest: 'Jump to latest',
  /** The jump button while messages came in below the view. */
  newBelowOne: '1 new message below',
  newBelow: '{0} new messages below',
  reply: 'Reply',
  /** Tooltip of the Reply action: its key with a message focused. */
  replyTitle: 'Reply (R)',
  replyingTo: 'Replying to',
  cancelReply: 'Cancel reply (Escape)',
  /** The quote of a parent with no text (a snippet). */
  snippetQuote: 'code snippet',
  showParent: 'Show the message this replies to',
  parentNotFound: 'The message this replies to is not in the loaded history.',
  /** Tooltip of a quick reaction ({0}: the emoji): toggles the user's own. */
  reactWith: 'React with {0}',
  anyEmoji: 'Any emoji…',
  anyEmojiTitle: 'React with any emoji (E)',
  reactingTo: 'React to',
  cancelReaction: 'Cancel (Escape)',
  typeOneEmoji: 'Type one emoji, then Enter: sending one you already put there takes it back.',
  /** A reaction's tooltip: who put it there ({0}: names joined by commas, {1}: the emoji). */
  reactedBy: '{0} reacted with {1}',
  edit: 'Edit',
  /** Tooltip of the Edit action: its key with a message focused (Up in an empty composer edits the last one). */
  editTitle: 'Edit (F2)',
  deleteMessage: 'Delete',
  deleteTitle: 'Delete (Del)',
  editing: 'Editing',
  cancelEdit: 'Cancel edit (Escape)',
  /** The bar above the composer before a delete: Enter confirms. */
  confirmDelete: 'Delete for everyone? Enter deletes, Escape keeps',
  /** In place of a message its author deleted. */
  messageDeleted: 'message deleted',
  /** After the text of a message its author edited; a click shows the earlier versions. */
  edited: 'edited',
  editedTitle: 'Show the earlier versions',
  hideVersions: 'Hide the earlier versions',
  /** Under the conversation while others type ({0}, {1}: their names). */
  typingOne: '{0} is typing…',
  typingTwo: '{0} and {1} are typing…',
  typingMany: 'Several people are typing…',
  /** A message's action: its plain text to the clipboard. */
  copy: 'Copy',
  copyTitle: 'Copy the message as plain text',
  /** A message's action: a link that opens the chat at the message, to the clipboard. */
  copyLink: 'Copy Link',
  copyLinkTitle: 'Copy a link that opens the chat at this message',
  /** The snippet "Send Selection to Chat" attached to the composer: its label, what the box invites, its remove button. */
  attachmentLabel: 'Code snippet to send',
  commentPlaceholder: 'Add a comment (Enter sends it with the snippet)',
  removeSnippet: 'Remove the snippet (Escape)',
  /** Under the first lines of an attached snippet ({0}: how many lines are not shown). */
  moreLinesOne: '… 1 more line',
  moreLines: '… {0} more lines',
  /** Under a very long message shown collapsed, and under it once opened. */
  showMore: 'Show more',
  showLess: 'Show less',
  /** The search box above the conversation (Ctrl+F, Cmd+F on a Mac). */
  searchLabel: 'Search messages',
  searchPlaceholder: 'Search all messages (Escape closes)',
  searchClose: 'Close search (Escape)',
  searching: 'Searching…',
  /** While and after a search ({0}: how many results). */
  searchFoundOne: '1 message found',
  searchFound: '{0} messages found',
  searchNone: 'No messages found',
  searchCapped: 'The newest {0} results; refine the search for older ones',
  /** A search result that could not be brought into view. */
  messageNotFound: 'The message is not in the history the panel can load.',
  /** The row of joined rooms above the conversation: a click shows that room. */
  rooms: 'Rooms',
  /** A room's count in the room row ({0}: how many): its tooltip and what a screen reader hears. */
  roomUnreadOne: '1 unread message',
  roomUnread: '{0} unread messages',
  messageEmpty: 'Message is empty.',
  /** {0}: the message's size, {1}: the most a message may take, both in bytes. */
  messageTooLong: 'Message is too long: {0} of {1} bytes.',
  usernameMissing: 'Set a username (1–{0} bytes) to chat.',
  /** {0}: the most a name may take, {1}: what this one needs, both in bytes. */
  usernameTooLong: 'Username is too long: at most {0} bytes, this name needs {1}; use a shorter name or fewer accented letters.',
  usernameUnsafe: 'Username must not contain control characters or format characters (zero-width, bidi controls).',
} as const;

export type PanelTextKey = keyof typeof PANEL_TEXT;
export type PanelText = { readonly [K in PanelTextKey]: string };

export const PANEL_TEXT_KEYS = Object.keys(PANEL_TEXT) as PanelTextKey[];

/** Says the panel text `key` with {0}, {1}... filled in: in the user's language, or English. */
export type Say = (key: PanelTextKey, ...args: (string | number)[]) => string;

export const sayInEnglish: Say = (key, ...args) => fillIn(PANEL_TEXT[key], ...args);

/** The text with {0}, {1}... filled in from args; a placeholder without its argument stays as it is. */
export function fillIn(text: string, ...args: (string | number)[]): string {
  return text.replace(/\{(\d+)\}/gu, (placeholder, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : placeholder));
}
