/** Text placed into HTML is escaped: the uid and the e-mail come from requests and config. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The development provider's sign-in form: a real form, deliberately plain. */
export function loginPage(uid: string, options: { email: string; failed: boolean }): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
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
 value="${escapeHtml(options.email)}" required></label>
<label>Password
<input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
`;
}
