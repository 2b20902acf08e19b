// The message box: Enter sends, Shift+Enter starts a new line, the draft is saved as it is typed,
// and a line under the box says why sending is not possible (too long, no valid username) or
// what the host refused. Sent text stays in the box until the host has queued it, so a refusal
// never costs the user what they typed. A reply shows what it answers above the box; Escape (or the
// bar's close button) makes it a plain message again. Reacting with any emoji works the same way:
// the bar names the message, and the box takes one emoji. Editing one's own message puts its text in
// the box (the draft comes back after); deleting one asks in the bar, and Enter confirms. A snippet
// from "Send Selection to Chat" waits above the box as an attachment: what is typed is its comment,
// and Enter sends both as one message (a reply too); × or Escape takes it out.
import { ChatItem, PanelSnippet, textProblem, usernameProblem } from '../protocol/panel';
import { isSingleEmoji } from '../protocol/emoji';
import { renderAttachment } from './attachment';
import { button, element, isolate } from './dom';
import type { ViewState } from './hostApi';
import { MentionList, insertMention, mentionCandidates, mentionQuery } from './autocomplete';
import { say } from './words';

/** The message a reply being written answers, or a reaction being typed goes on. */
export type ReplyTarget = NonNullable<ChatItem['replyTo']>;

type Target = { readonly kind: 'reply' | 'react' | 'edit' | 'delete'; readonly message: ReplyTarget };

/** The bar's words and its close button's, per target. */
const TARGET_WORDS = {
  reply: ['replyingTo', 'cancelReply'],
  react: ['reactingTo', 'cancelReaction'],
  edit: ['editing', 'cancelEdit'],
  delete: ['confirmDelete', 'cancelReaction'],
} as const;

export interface ComposerCallbacks {
  /**
   * `replyTo`: the id of the message answered, when the text is a reply; `edits`: the message the text is a new version of;
   * `snippet`: the attachment that goes with the text.
   */
  send(text: string, replyTo: string | undefined, edits?: string, snippet?: PanelSnippet): void;
  /** The emoji typed for the message named by setReacting(). */
  react(to: string, emoji: string): void;
  /** The delete asked for with setDeleting(), confirmed. */
  remove(to: string): void;
  /** Up in an empty box: the panel may start editing the user's last message. */
  editLast(): void;
  draftChanged(text: string): void;
  /** A snippet was attached or taken out (also once it was sent). */
  attachmentChanged(): void;
  setUsername(): void;
}

export class Composer {
  readonly root: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly problem: HTMLElement;
  private readonly replyBar: HTMLElement;
  /** Where the attached snippet shows; empty and hidden without one. */
  private readonly attachmentBox: HTMLElement;
  private snippet: PanelSnippet | null = null;
  private readonly mentions: MentionList;
  /** Names of the other members online: what "@" offers. */
  private members: readonly string[] = [];
  private target: Target | null = null;
  private me: string | null = null;
  /** A refusal from the host, shown until the text changes. */
  private hostError: string | null = null;
  /** Text handed to the host whose answer has not come yet; one at a time. */
  private awaiting: string | null = null;
  /** The id of the message the awaited text answers. */
  private awaitingReply: string | undefined;
  /** The snippet that went with the awaited text. */
  private awaitingSnippet: PanelSnippet | undefined;
  /** What was in the box when an edit began: it comes back when the edit is sent or cancelled. */
  private draftBeforeEdit = '';

  constructor(doc: Document, private readonly callbacks: ComposerCallbacks) {
    this.root = element(doc, 'form', 'composer');
    this.input = element(doc, 'textarea', 'composer-input');
    this.input.rows = 1;
    this.input.id = 'composer-input';
    this.sendButton = element(doc, 'button', 'send');
    this.applyWords();
    this.sendButton.type = 'submit';
    this.problem = element(doc, 'div', 'composer-problem');
    this.problem.id = 'composer-problem';
    this.problem.setAttribute('aria-live', 'polite');
    this.input.setAttribute('aria-describedby', this.problem.id);
    this.replyBar = element(doc, 'div', 'reply-bar');
    this.replyBar.hidden = true;
    this.attachmentBox = element(doc, 'div', 'attachment-box');
    this.attachmentBox.hidden = true;
    const row = element(doc, 'div', 'composer-row');
    row.append(this.input, this.sendButton);
    this.mentions = new MentionList(doc, (name) => this.putMention(name));
    this.input.setAttribute('aria-controls', this.mentions.root.id);
    this.input.setAttribute('aria-autocomplete', 'list');
    this.root.append(this.replyBar, this.attachmentBox, this.mentions.root, row, this.problem);

    this.input.addEventListener('keydown', (event) => {
      if (this.mentions.open && !event.isComposing && this.onMentionKey(event)) return;
      // isComposing: Enter that confirms an IME composition must not send.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      } else if (event.key === 'Escape' && (this.target !== null || this.snippet !== null) && !event.isComposing) {
        event.preventDefault();
        event.stopPropagation();
        this.cancel();
      } else if (event.key === 'ArrowUp' && this.input.value === '' && this.target === null && !event.isComposing && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        this.callbacks.editLast();
      }
    });
    this.input.addEventListener('input', () => {
      this.hostError = null;
      this.update();
      this.suggest();
      this.callbacks.draftChanged(this.input.value);
    });
    // The caret moved without typing (a click, Home, the arrows outside the list): the query with it.
    this.input.addEventListener('click', () => this.suggest());
    this.input.addEventListener('blur', () => this.closeMentions());
    this.root.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  /** Labels in the panel's words: English at first, the host's language once its snapshot is in. */
  applyWords(): void {
    this.input.placeholder = this.snippet === null ? say('composerPlaceholder') : say('commentPlaceholder');
    this.input.setAttribute('aria-label', say('composerLabel'));
    this.sendButton.textContent = say('send');
  }

  /** The other members online, in the order the list shows them. */
  setMembers(names: readonly string[]): void {
    this.members = names;
    if (this.mentions.open) this.suggest();
  }

  setUser(me: string | null): void {
    this.me = me;
    this.update();
  }

  /** What the text will answer (shown above the box), or null for a plain message. */
  setReply(message: ReplyTarget | null): void {
    this.setTarget(message && { kind: 'reply', message });
  }

  /** The box takes one emoji for this message (Enter reacts with it), until Escape. */
  setReacting(message: ReplyTarget): void {
    this.setTarget({ kind: 'react', message });
  }

  /** The box holds the message's current text; Enter sends it as a new version of that message. */
  setEditing(message: ReplyTarget, text: string): void {
    if (this.target?.kind !== 'edit') this.draftBeforeEdit = this.input.value;
    this.setTarget({ kind: 'edit', message });
    this.setDraft(text);
    this.input.setSelectionRange(text.length, text.length);
  }

  /** The bar asks whether to delete the message for everyone; Enter does, Escape does not. */
  setDeleting(message: ReplyTarget): void {
    this.setTarget({ kind: 'delete', message });
  }

  /** The snippet waits above the box, replacing one attached before; what is typed becomes its comment. */
  attach(snippet: PanelSnippet): void {
    this.setSnippet(snippet);
  }

  /** What a reloaded page restores: the draft and the attachment. */
  get saved(): ViewState {
    return { draft: this.input.value, ...(this.snippet === null ? {} : { snippet: this.snippet }) };
  }

  private setSnippet(snippet: PanelSnippet | null): void {
    this.snippet = snippet;
    this.attachmentBox.hidden = snippet === null;
    this.attachmentBox.replaceChildren(...(snippet === null ? [] : [renderAttachment(this.root.ownerDocument, snippet, () => {
      this.setSnippet(null);
      this.focus();
    })]));
    this.applyWords();
    this.update();
    this.callbacks.attachmentChanged();
  }

  /** Another room is shown: a reply, reaction, edit or delete named a message of the room before, so it goes (an edit gives the box back its draft); the draft and a snippet stay, to send here. */
  dropTarget(): void {
    if (this.target === null) return;
    if (this.target.kind === 'edit') this.restoreDraft();
    this.setTarget(null);
  }

  /** Escape or the bar's ×: a plain message again; an edit gives the box back its draft. Without a bar, Escape takes the snippet out. */
  private cancel(): void {
    if (this.target === null) return this.setSnippet(null);
    this.dropTarget();
  }

  /** The attachment goes with a message or a reply, never with an edit, a reaction or a delete (it waits for the next message). */
  private get outgoingSnippet(): PanelSnippet | undefined {
    return this.target === null || this.target.kind === 'reply' ? this.snippet ?? undefined : undefined;
  }

  private restoreDraft(): void {
    this.setDraft(this.draftBeforeEdit);
    this.draftBeforeEdit = '';
    this.callbacks.draftChanged(this.input.value);
  }

  private setTarget(target: Target | null): void {
    this.target = target;
    this.replyBar.hidden = target === null;
    this.update();
    if (target === null) {
      this.replyBar.replaceChildren();
      return;
    }
    const doc = this.replyBar.ownerDocument;
    const { message } = target;
    const quote = element(doc, 'span', 'reply-bar-quote');
    const [words, cancelWords] = TARGET_WORDS[target.kind];
    quote.append(`${say(words)} `, isolate(element(doc, 'strong', 'reply-author', message.username)), ' ', isolate(element(doc, 'span', 'reply-text', message.text || say('snippetQuote'))));
    const cancel = say(cancelWords);
    const close = button(doc, '×', 'reply-cancel', () => {
      this.cancel();
      this.focus();
    });
    close.title = cancel;
    close.setAttribute('aria-label', cancel);
    this.replyBar.replaceChildren(quote, close);
  }

  setDraft(text: string): void {
    this.input.value = text;
    this.update();
  }

  showError(message: string): void {
    this.hostError = message;
    this.update();
  }

  focus(): void {
    this.input.focus();
  }

  /** Whether the message box has the keyboard focus. */
  get focused(): boolean {
    return this.input.ownerDocument.activeElement === this.input;
  }

  /** The host queued the message: it leaves the box, and whatever was typed after it stays. */
  accepted(): void {
    const sent = this.awaiting;
    this.awaiting = null;
    // The reply or edit went out with the text; one chosen meanwhile (another message) stays for the next.
    const settled = sent !== null && (this.target?.kind === 'reply' || this.target?.kind === 'edit') && this.target.message.id === this.awaitingReply;
    const edited = settled && this.target?.kind === 'edit';
    if (settled) this.setTarget(null);
    this.awaitingReply = undefined;
    // The snippet went with it; one attached meanwhile stays for the next.
    if (sent !== null && this.awaitingSnippet !== undefined && this.awaitingSnippet === this.snippet) this.setSnippet(null);
    this.awaitingSnippet = undefined;
    if (edited) return this.restoreDraft();
    if (sent === null || !this.input.value.startsWith(sent)) {
      // The host replaced the draft meanwhile (a snapshot's draft): that text is not the one sent.
      this.update();
      return;
    }
    this.setDraft(this.input.value.slice(sent.length));
    this.callbacks.draftChanged(this.input.value);
  }

  /** The host queued nothing: the text stays, with the reason under it. */
  refused(reason: string): void {
    this.awaiting = null;
    this.awaitingReply = undefined;
    this.awaitingSnippet = undefined;
    this.showError(reason);
  }

  /** Up and Down move in the open list, Enter and Tab pick, Escape closes; true when the key was the list's. */
  private onMentionKey(event: KeyboardEvent): boolean {
    const { key } = event;
    if (key === 'ArrowDown' || key === 'ArrowUp') this.mentions.move(key === 'ArrowDown' ? 1 : -1);
    else if ((key === 'Enter' || key === 'Tab') && !event.shiftKey && this.mentions.selected !== undefined) this.putMention(this.mentions.selected);
    else if (key === 'Escape') this.closeMentions();
    else return false;
    event.preventDefault();
    event.stopPropagation();
    this.input.setAttribute('aria-activedescendant', this.mentions.selectedId ?? '');
    return true;
  }

  /** Offers the names that fit the "@…" at the caret, or closes the list. */
  private suggest(): void {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const query = this.target?.kind === 'react' ? null : mentionQuery(this.input.value, caret);
    this.mentions.show(query === null ? [] : mentionCandidates(this.members, query.prefix));
    this.input.setAttribute('aria-expanded', String(this.mentions.open));
    this.input.setAttribute('aria-activedescendant', this.mentions.selectedId ?? '');
  }

  private closeMentions(): void {
    this.mentions.close();
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Replaces the "@…" at the caret with the name and a space; the caret goes after them. */
  private putMention(name: string): void {
    const caret = this.input.selectionStart ?? this.input.value.length;
    const query = mentionQuery(this.input.value, caret);
    this.closeMentions();
    if (query === null) return;
    const next = insertMention(this.input.value, query, caret, name);
    this.input.value = next.text;
    this.input.setSelectionRange(next.caret, next.caret);
    this.update();
    this.callbacks.draftChanged(this.input.value);
  }

  private submit(): void {
    const text = this.input.value;
    if (this.target?.kind === 'react') return this.submitReaction(this.target.message.id, text.trim());
    if (this.target?.kind === 'delete') {
      const to = this.target.message.id;
      this.setTarget(null);
      return this.callbacks.remove(to);
    }
    const snippet = this.outgoingSnippet;
    if (this.awaiting !== null || this.blocker(text) !== null || textProblem(text, say, snippet) !== null) return;
    // A refusal answered the previous attempt; this one gets its own answer.
    this.hostError = null;
    this.awaiting = text;
    this.awaitingReply = this.target?.message.id;
    this.awaitingSnippet = snippet;
    this.update();
    if (this.target?.kind === 'edit') this.callbacks.send(text, undefined, this.awaitingReply);
    else this.callbacks.send(text, this.awaitingReply, undefined, snippet);
  }

  /** A reaction needs no answer to clear the box: the host shows it at once, or says why not. */
  private submitReaction(to: string, emoji: string): void {
    if (!isSingleEmoji(emoji) || usernameProblem(this.me, say) !== null) return;
    this.setTarget(null);
    this.setDraft('');
    this.callbacks.draftChanged('');
    this.callbacks.react(to, emoji);
  }

  /** What prevents sending regardless of the text being empty. */
  private blocker(text: string): string | null {
    if (this.target?.kind === 'react') return usernameProblem(this.me, say) ?? (isSingleEmoji(text.trim()) ? null : say('typeOneEmoji'));
    const snippet = this.outgoingSnippet;
    return usernameProblem(this.me, say) ?? (text.trim() === '' && snippet === undefined ? null : textProblem(text, say, snippet));
  }

  private update(): void {
    const text = this.input.value;
    const blocker = this.blocker(text);
    this.problem.replaceChildren();
    const message = blocker ?? this.hostError;
    if (message) {
      this.problem.appendChild(element(this.problem.ownerDocument, 'span', '', message));
      if (usernameProblem(this.me, say) !== null) {
        this.problem.appendChild(button(this.problem.ownerDocument, say('commandSetUsername'), 'link-button', () => this.callbacks.setUsername()));
      }
    }
    this.problem.hidden = !message;
    // With nothing to send, a missing username is a hint; once the user types (or attached a snippet), it is what stops them.
    const invalid = blocker !== null && (text.length > 0 || this.outgoingSnippet !== undefined);
    this.problem.classList.toggle('hint', !invalid && !this.hostError);
    this.root.classList.toggle('invalid', invalid);
    const nothing = text.trim() === '' && this.outgoingSnippet === undefined;
    this.sendButton.disabled = this.target?.kind !== 'delete' && (blocker !== null || nothing || this.awaiting !== null);
  }
}
