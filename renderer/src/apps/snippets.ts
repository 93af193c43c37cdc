/**
 * Ready-made commands for a freshly issued token. None of them contains the token: it goes in by
 * stdin or from the pipeline's secret store, never onto a command line, where it would land in
 * shell history and process lists (cli/README.md).
 */
export function initSnippet(): string {
  return [
    'read -rs TOKEN    # paste the token, then press Enter',
    'printf \'%s\' "$TOKEN" | coffer init',
  ].join('\n');
}

/**
 * For CI: redeem once on a trusted machine with --print-config and keep the printed
 * configuration in the pipeline's secret store as COFFER_CONFIG; each job then uses it. The step
 * names what it needs as coffer:// references (shared/protocol/coffer-reference.abnf), which
 * `coffer exec` resolves; without one it would run the script with nothing from the vault.
 */
export function ciSnippet(): string {
  return [
    '# once, on a trusted machine:',
    'printf \'%s\' "$TOKEN" | coffer init --print-config   # store the output as COFFER_CONFIG',
    '',
    '# GitHub Actions step:',
    '- name: Use secrets from Coffer',
    '  env:',
    '    COFFER_CONFIG: ${{ secrets.COFFER_CONFIG }}',
    '    # coffer exec replaces each variable whose value is a coffer:// reference:',
    '    DATABASE_PASSWORD: coffer://Production/Orders%20DB/field/password',
    '  run: coffer exec -- ./deploy.sh',
  ].join('\n');
}
