/** Text placed into HTML is escaped: the uid and the e-mail come from requests and config. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The development provider's sign-in form: a real form, deliberately plain. The cursor starts in
 * the first field left to fill — the password, since the demo e-mail is filled in — also when
 * the form comes back after a wrong password. Each field keeps its visible label as its name.
 */
export function loginPage(uid: string, options: { email: string; failed: boolean }): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  const focus = (field: 'email' | 'password') =>
    (options.email === '' ? 'email' : 'password') === field ? ' autofocus' : '';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Coffer development sign-in</title></head>
<body>
<main>
<h1>Coffer development identity provider</h1>
<p><strong>For development only.</strong> Never use this provider for real accounts.</p>
${options.failed ? '<p role="alert">Wrong e-mail or password.</p>' : ''}
<form method="post" action="${escapeHtml(action)}">
<label>E-mail
<input name="email" type="email" autocomplete="username"
 value="${escapeHtml(options.email)}" required${focus('email')}></label>
<label>Password
<input name="password" type="password" autocomplete="current-password"
 required${focus('password')}></label>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}
