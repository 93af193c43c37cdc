import { issuerLabel } from '../app/issuer-label.ts';

/**
 * What the server says of an account an audit page mentions (server/audit/names.ts): its
 * current sign-in e-mail, and from servers that send them its provider and a short stable id.
 */
export interface AccountName {
  readonly email: string | null;
  readonly issuer?: string | undefined;
  readonly shortId?: string | undefined;
}

/** How one page names its accounts. */
export interface AccountNames {
  /** "alice@example.com", or "alice@example.com (okta.example.com)" where that tells apart. */
  label(id: string): string;
  /** Everything known of the account, for a tooltip: e-mail, provider, id. */
  detail(id: string): string;
}

function shortIdOf(id: string, account: AccountName | undefined): string {
  return account?.shortId ?? id.slice(0, 8);
}

function baseOf(id: string, account: AccountName | undefined): string {
  return account?.email ?? `user ${shortIdOf(id, account)}`;
}

/**
 * Names the accounts of one page so that two never read alike. An e-mail is not an identity:
 * two providers may each have an alice@example.com, and users are keyed by (issuer, subject)
 * (DESIGN.md "Identity and unlock"). So a name carries its provider when the account is not
 * from the viewer's own provider, or when another account on the page has the same e-mail;
 * and its short id when even the provider does not tell them apart. When the viewer's provider
 * is not known (the viewer is not on the page), the provider is shown once the page mentions
 * more than one.
 */
export function accountNames(
  users: Readonly<Record<string, AccountName>>,
  viewerId: string | null,
): AccountNames {
  const ids = Object.keys(users);
  const ownIssuer = viewerId === null ? undefined : users[viewerId]?.issuer;
  const issuers = new Set(ids.map((id) => users[id]?.issuer).filter((i) => i !== undefined));
  const byBase = new Map<string, string[]>();
  for (const id of ids) {
    const base = baseOf(id, users[id]);
    byBase.set(base, [...(byBase.get(base) ?? []), id]);
  }

  const labels = new Map<string, string>();
  for (const id of ids) {
    const account = users[id];
    const base = baseOf(id, account);
    const twins = (byBase.get(base) ?? []).filter((other) => other !== id);
    const issuer = account?.issuer;
    const foreign =
      issuer !== undefined && (ownIssuer === undefined ? issuers.size > 1 : issuer !== ownIssuer);
    const twinElsewhere = twins.some((other) => users[other]?.issuer !== issuer);
    const twinSameProvider = twins.some((other) => users[other]?.issuer === issuer);
    const parts: string[] = [];
    if (issuer !== undefined && (foreign || twinElsewhere)) parts.push(issuerLabel(issuer));
    if (twinSameProvider) parts.push(`id ${shortIdOf(id, account)}`);
    labels.set(id, parts.length === 0 ? base : `${base} (${parts.join(', ')})`);
  }

  return {
    label: (id) => labels.get(id) ?? baseOf(id, users[id]),
    detail: (id) => {
      const account = users[id];
      const email =
        account?.email === undefined || account.email === null
          ? 'No verified e-mail'
          : `${account.email}, the account’s current e-mail`;
      const provider = account?.issuer === undefined ? [] : [`provider ${account.issuer}`];
      return [email, ...provider, `account id ${shortIdOf(id, account)}`].join(' · ');
    },
  };
}
