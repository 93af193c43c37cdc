// TODO(#4): sign-in, unlock and the vault screens replace this placeholder.
export function App() {
  return (
    <main>
      <h1>Coffer</h1>
      <p>The desktop vault arrives with issue #4.</p>
    </main>
  );
}
