import { Route, Switch } from 'wouter';
import { AlertsRoute } from './alerts/alerts-route.js';
import { ClusterPage } from './clusters/cluster-page.js';
import { HomebasePage } from './clusters/homebase-page.js';
import { ConfigRoute } from './config/config-route.js';
import { CreateClusterPage } from './create-cluster/create-cluster-page.js';
import { TaskPage } from './create-cluster/task-page.js';
import { LiveProvider } from './live/live-provider.js';
import { LogsRoute } from './logs/logs-route.js';
import { LoginPage } from './session/login-page.js';
import { SessionProvider, useSession } from './session/session.js';
import { FirstStartPage } from './setup/first-start-page.js';
import { ServiceHistoryRoute, TimelineRoute } from './timeline/timeline-route.js';
import { AppShell } from './ui/app-shell.js';
import { Notice } from './ui/notice.js';
import { UsersPage } from './users/users-page.js';
import { WhatIfRoute } from './what-if/what-if-route.js';

function Pages() {
  const { state } = useSession();
  switch (state.kind) {
    case 'loading':
      return (
        <p className="muted" data-test="app-loading">
          Loading…
        </p>
      );
    case 'unreachable':
      return (
        <main>
          <Notice tone="bad" testId="app-unreachable">
            The console did not answer: {state.message}
          </Notice>
        </main>
      );
    case 'setup':
      return <FirstStartPage />;
    case 'signed-out':
      return <LoginPage notice={state.notice} />;
    case 'signed-in':
      return (
        <LiveProvider>
          <AppShell>
            <Switch>
              <Route path="/" component={HomebasePage} />
              <Route path="/create-cluster" component={CreateClusterPage} />
              <Route path="/tasks/:id" component={TaskPage} />
              <Route path="/clusters/:name/config" component={ConfigRoute} />
              <Route path="/clusters/:name/what-if" component={WhatIfRoute} />
              <Route path="/clusters/:name/alerts" component={AlertsRoute} />
              <Route path="/clusters/:name/events" component={TimelineRoute} />
              <Route
                path="/clusters/:name/services/:service/history"
                component={ServiceHistoryRoute}
              />
              <Route path="/clusters/:name/nodes/:node/logs" component={LogsRoute} />
              <Route path="/clusters/:name" component={ClusterPage} />
              <Route path="/users" component={UsersPage} />
              <Route>
                <Notice tone="bad" testId="not-found">
                  No such page in the console.
                </Notice>
              </Route>
            </Switch>
          </AppShell>
        </LiveProvider>
      );
  }
}

export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}
