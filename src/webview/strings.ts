// The panel's words for the conversation features (unread, replies, reactions, typing), in one
// table so that they can be routed through the host's localisation like the rest of the panel.

const count = (n: number): string => n.toLocaleString('en-US');

export const STRINGS = {
  /** The divider above the first message that arrived while the user was away or scrolled up. */
  newMessages: 'New messages',
  jumpToLatest: 'Jump to latest',
  /** The jump button while messages came in below the view. */
  newBelow: (n: number): string => (n === 1 ? '1 new message below' : `${count(n)} new messages below`),
  reply: 'Reply',
  /** Tooltip of the Reply action: its key with a message focused. */
  replyTitle: 'Reply (R)',
  replyingTo: 'Replying to',
  cancelReply: 'Cancel reply (Escape)',
  /** The quote of a parent with no text (a snippet). */
  snippetQuote: 'code snippet',
  showParent: 'Show the message this replies to',
  parentNotFound: 'The message this replies to is not in the loaded history.',
  /** Tooltip of a quick reaction: toggles the user's own. */
  reactWith: (emoji: string): string => `React with ${emoji}`,
  anyEmoji: 'Any emoji…',
  anyEmojiTitle: 'React with any emoji (E)',
  reactingTo: 'React to',
  cancelReaction: 'Cancel (Escape)',
  typeOneEmoji: 'Type one emoji, then Enter: sending one you already put there takes it back.',
  /** A reaction's tooltip: who put it there. */
  reactedBy: (names: readonly string[], emoji: string): string => `${names.join(', ')} reacted with ${emoji}`,
} as const;
