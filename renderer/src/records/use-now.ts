import { useEffect, useState } from 'react';

/** Unix milliseconds of a `now` prop given as a number or a Date. */
export function toMillis(now: number | Date): number {
  return typeof now === 'number' ? now : now.getTime();
}

/**
 * The current time for live values (one-time codes, countdowns). With a `now` prop the caller
 * drives the clock (tests, a shared app ticker). Otherwise an internal ticker fires at each whole
 * second and reads the wall clock afresh every time, so a suspend, an NTP step or a manual clock
 * change is reflected within a second; returning to a hidden window refreshes at once, since
 * browsers throttle timers in background tabs (TT-01).
 */
export function useNow(now: number | Date | undefined): number {
  const controlled = now !== undefined;
  const [tick, setTick] = useState(() => Date.now());
  useEffect(() => {
    if (controlled) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      setTick(Date.now());
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(refresh, 1000 - (Date.now() % 1000) + 5);
    };
    refresh();
    const onVisible = () => {
      if (document.visibilityState === 'visible') refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', refresh);
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', refresh);
    };
  }, [controlled]);
  return controlled ? toMillis(now) : tick;
}
