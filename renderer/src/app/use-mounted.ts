import { useEffect, useRef, type RefObject } from 'react';

/**
 * Whether the component is still mounted, for dialogs that await a key derivation and must not
 * set state after the user closed them meanwhile.
 */
export function useMounted(): RefObject<boolean> {
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  return mounted;
}
