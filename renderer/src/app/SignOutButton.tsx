import { Button } from '@mantine/core';
import { useState } from 'react';
import { useApp } from './store-context.tsx';

/**
 * Locks the vault, revokes this session at the server and returns to sign-in. Locking comes
 * first inside signOut, so the keys are gone even when the server cannot be reached.
 */
export function SignOutButton() {
  const signOut = useApp((s) => s.signOut);
  const [leaving, setLeaving] = useState(false);
  return (
    <Button
      variant="subtle"
      color="gray"
      loading={leaving}
      onClick={() => {
        setLeaving(true);
        void signOut().finally(() => setLeaving(false));
      }}
    >
      Sign out
    </Button>
  );
}
