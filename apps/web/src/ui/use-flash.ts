import { useEffect, useRef, useState } from 'react';

const flashMs = 1500;

/** True for a moment after `key` changes (not on first render): a change highlights its row. */
export function useFlash(key: string): boolean {
  const previous = useRef(key);
  const [flashing, setFlashing] = useState(false);
  useEffect(() => {
    if (previous.current === key) return;
    previous.current = key;
    setFlashing(true);
    const timer = window.setTimeout(() => setFlashing(false), flashMs);
    return () => window.clearTimeout(timer);
  }, [key]);
  return flashing;
}
