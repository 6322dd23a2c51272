import type { WallClock } from '../command-io.js';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

function localDate(ms: number, clock: Pick<WallClock, 'utcOffsetMinutes'>): Date {
  return new Date(ms + clock.utcOffsetMinutes(ms) * 60_000);
}

/** C's ctime() without its newline: `Thu Dec 10 17:58:33 2015`, `Thu Dec  3 …`. */
export function ctime(ms: number, clock: Pick<WallClock, 'utcOffsetMinutes'>): string {
  const d = localDate(ms, clock);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const day = String(d.getUTCDate()).padStart(3);
  return `${weekdays[d.getUTCDay()]} ${months[d.getUTCMonth()]}${day} ${time} ${d.getUTCFullYear()}`;
}

/** strftime's `%F %H:%M:%S`: `2015-12-10 17:58:33`. */
export function isoLocalTime(ms: number, clock: Pick<WallClock, 'utcOffsetMinutes'>): string {
  const d = localDate(ms, clock);
  const date = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return `${date} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** printf's `%-N.Ns`: cut to N characters, then padded to N. */
export function column(text: string, width: number): string {
  return text.slice(0, width).padEnd(width);
}

export function xmlAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
