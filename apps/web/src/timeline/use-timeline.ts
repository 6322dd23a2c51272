import type { TimelineEvent } from '@quorate/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchTimeline } from './timeline-api.js';
import { type TimelineFilter, timelineQuery } from './timeline-filter.js';

const pageSize = 500;
/** While events stream in, the first page is fetched again at most this often. */
const refreshMs = 500;

export interface TimelineState {
  readonly events: readonly TimelineEvent[];
  readonly nextBefore: number | null;
  readonly error: string | null;
  readonly loading: boolean;
  loadOlder(): void;
}

/**
 * The timeline for `filter`: the newest page, fetched again when a newer event than the page's
 * arrives live (`latestId`, throttled), and older pages on demand.
 */
export function useTimeline(
  cluster: string,
  filter: TimelineFilter,
  latestId: number | null,
): TimelineState {
  const [events, setEvents] = useState<readonly TimelineEvent[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const lastFetch = useRef(0);
  const query = timelineQuery(filter, pageSize);
  const queryKey = JSON.stringify(query);

  const loadFirst = useCallback(() => {
    const mine = ++generation.current;
    lastFetch.current = Date.now();
    fetchTimeline(cluster, JSON.parse(queryKey)).then(
      (page) => {
        if (mine !== generation.current) return;
        setEvents(page.events);
        setNextBefore(page.nextBefore);
        setError(null);
        setLoading(false);
      },
      (failure: Error) => {
        if (mine !== generation.current) return;
        setError(failure.message);
        setLoading(false);
      },
    );
  }, [cluster, queryKey]);

  useEffect(() => {
    setLoading(true);
    loadFirst();
  }, [loadFirst]);

  useEffect(() => {
    if (latestId === null) return;
    const wait = Math.max(0, lastFetch.current + refreshMs - Date.now());
    const timer = window.setTimeout(loadFirst, wait);
    return () => window.clearTimeout(timer);
  }, [latestId, loadFirst]);

  const loadOlder = useCallback(() => {
    if (nextBefore === null) return;
    const mine = generation.current;
    fetchTimeline(cluster, JSON.parse(queryKey), nextBefore).then(
      (page) => {
        if (mine !== generation.current) return;
        setEvents((shown) => [...shown, ...page.events]);
        setNextBefore(page.nextBefore);
      },
      (failure: Error) => setError(failure.message),
    );
  }, [cluster, queryKey, nextBefore]);

  return { events, nextBefore, error, loading, loadOlder };
}
