import type { ReactNode } from 'react';
import { Link, useRoute } from 'wouter';
import { useSession, useSignedIn } from '../session/session.js';
import { ConnectionIndicator } from './connection-indicator.js';

function NavLink(props: { href: string; testId: string; children: ReactNode }) {
  const [active] = useRoute(props.href);
  return (
    <Link href={props.href} aria-current={active ? 'page' : undefined} data-test={props.testId}>
      {props.children}
    </Link>
  );
}

export function AppShell(props: { children: ReactNode }) {
  const { signOut } = useSession();
  const session = useSignedIn();
  return (
    <>
      <header className="topbar">
        <span className="brand">Quorate</span>
        <nav aria-label="Console">
          <NavLink href="/" testId="nav-clusters">
            Clusters
          </NavLink>
          {session.user.admin && (
            <NavLink href="/users" testId="nav-users">
              Users
            </NavLink>
          )}
        </nav>
        <span className="spacer" />
        <ConnectionIndicator />
        <span data-test="current-user" className="mono">
          {session.user.name}
        </span>
        <button type="button" onClick={() => void signOut()} data-test="sign-out">
          Sign out
        </button>
      </header>
      <main>{props.children}</main>
    </>
  );
}
