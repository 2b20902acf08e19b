// What a `send` frame names besides its envelope when the envelope is an edit or a tombstone: the
// seqs it changes, so that the server can check they are the sender's (docs/PROTOCOL.md, "Edits and
// deletes"). A tombstone replaces its target and the target's edits, so this keeps, for messages of
// this client's own key, which edits each has had. Bounded: the oldest targets are forgotten first.
import type { MessageBody } from '../protocol/body';
import { MAX_EDITS_PER_MESSAGE } from '../protocol/limits';

/** Most messages whose edits are remembered. */
export const MAX_EDITED_TARGETS = 10_000;

export type Amendment = { readonly edits: number } | { readonly deletes: number[] };

export class Amendments {
  /** Target id → ids of its edits, signed by this client's key; a Map iterates oldest first. */
  private readonly editsOf = new Map<string, Set<string>>();

  constructor(private readonly maxTargets = MAX_EDITED_TARGETS) {}

  /** A message of this client's key (sent, or seen from another of its connections or in history). */
  noteOwn(id: string, body: MessageBody): void {
    const to = body.edit?.to;
    if (to === undefined) return;
    let edits = this.editsOf.get(to);
    if (!edits) {
      this.editsOf.set(to, (edits = new Set()));
      if (this.editsOf.size > this.maxTargets) this.editsOf.delete(this.editsOf.keys().next().value as string);
    }
    if (edits.size < MAX_EDITS_PER_MESSAGE) edits.add(id);
  }

  /**
   * The frame's fields for this body; none when it changes nothing or its target's seq is unknown
   * (the server then stores it like any message, and receivers still check who signed it).
   */
  fields(body: MessageBody, seqOf: (id: string) => number | undefined): Amendment | Record<string, never> {
    if (body.edit) {
      const seq = seqOf(body.edit.to);
      return seq === undefined ? {} : { edits: seq };
    }
    if (!body.delete) return {};
    const target = seqOf(body.delete.to);
    if (target === undefined) return {};
    const edits = [...this.editsOf.get(body.delete.to) ?? []].flatMap((id) => seqOf(id) ?? []);
    return { deletes: [target, ...edits] };
  }
}
