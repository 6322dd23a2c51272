import { describe, expect, it } from 'vitest';
import { noFilter, searchOf, timelineQuery } from './timeline-filter.js';
import { rowWindow } from './virtual-window.js';

describe('the timeline filter', () => {
  it('asks for every kind when no group is chosen', () => {
    expect(timelineQuery(noFilter, 200)).toEqual({ limit: 200 });
  });

  it('turns groups into kinds and keeps only the filters set', () => {
    const query = timelineQuery(
      { ...noFilter, groups: ['fencing', 'membership'], node: 'node2' },
      50,
    );
    expect(query).toEqual({ limit: 50, kind: 'member,fence,fenced', node: 'node2' });
    expect(searchOf(query, 17)).toBe('?limit=50&kind=member%2Cfence%2Cfenced&node=node2&before=17');
  });

  it('sends the time range as instants', () => {
    const query = timelineQuery({ ...noFilter, from: '2026-11-27T08:00', to: '' }, 10);
    expect(query.from).toBe(new Date('2026-11-27T08:00').toISOString());
    expect(query.to).toBeUndefined();
  });
});

describe('the row window', () => {
  it('renders the rows in view and a few on each side, never past the ends', () => {
    expect(rowWindow(1000, 30, 0, 300, 5)).toEqual({ first: 0, end: 16 });
    expect(rowWindow(1000, 30, 3000, 300, 5)).toEqual({ first: 95, end: 116 });
    expect(rowWindow(1000, 30, 29_990, 300, 5)).toEqual({ first: 994, end: 1000 });
    expect(rowWindow(3, 30, 0, 300, 5)).toEqual({ first: 0, end: 3 });
    expect(rowWindow(0, 30, 0, 300)).toEqual({ first: 0, end: 0 });
  });
});
