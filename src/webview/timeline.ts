// Turns the ordered message list into display rows: a separator at each new day, and a header only
// on the first message of a group (same sender, same day, a few minutes apart at most).
import type { ChatItem } from '../protocol/panel';
import { say } from './words';

/** Messages further apart than this start a new group even from the same sender. */
export const GROUP_GAP_MS = 5 * 60 * 1000;

export type Row =
  | { readonly kind: 'day'; readonly key: string; readonly day: number }
  | { readonly kind: 'message'; readonly key: string; readonly item: ChatItem; readonly head: boolean };

/** Local midnight of the timestamp's day, in ms. */
export function startOfDay(timestamp: number): number {
  const date = new Date(timestamp);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whether `item` begins a new group after `previous`. */
export function startsGroup(previous: ChatItem | undefined, item: ChatItem): boolean {
  return (
    previous === undefined ||
    previous.username !== item.username ||
    previous.own !== item.own ||
    startOfDay(previous.timestamp) !== startOfDay(item.timestamp) ||
    Math.abs(item.timestamp - previous.timestamp) > GROUP_GAP_MS
  );
}

/** Rows for `items`, which follow `previous` (the last item already shown, if any). */
export function rowsAfter(previous: ChatItem | undefined, items: readonly ChatItem[]): Row[] {
  const rows: Row[] = [];
  let last = previous;
  for (const item of items) {
    const day = startOfDay(item.timestamp);
    if (last === undefined || startOfDay(last.timestamp) !== day) rows.push({ kind: 'day', key: `day:${day}:${item.id}`, day });
    rows.push({ kind: 'message', key: item.id, item, head: startsGroup(last, item) });
    last = item;
  }
  return rows;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
const dateWithYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** "Today", "Yesterday", or the date (with the year when it is not this year's). */
export function dayLabel(day: number, now: number): string {
  const today = startOfDay(now);
  if (day === today) return say('today');
  // Half a day of slack absorbs daylight-saving shifts.
  if (Math.abs(today - DAY_MS - day) < DAY_MS / 2) return say('yesterday');
  const sameYear = new Date(day).getFullYear() === new Date(now).getFullYear();
  return (sameYear ? dateFormat : dateWithYearFormat).format(day);
}

export function timeLabel(timestamp: number): string {
  return timeFormat.format(timestamp);
}

/** Tooltip text for a message's time. */
export function fullTimeLabel(timestamp: number): string {
  return fullFormat.format(timestamp);
}
