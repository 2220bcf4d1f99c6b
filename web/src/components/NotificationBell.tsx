import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { InboxBellDocument, MarkAllNotificationsReadDocument, MarkNotificationsReadDocument } from '../gql/graphql';
import { formatInstant } from '../lib/dates';

/** The header's bell: unread count, and a panel listing the viewer's notifications (docs/notifications.md). */
export function NotificationBell() {
  const [result, refetch] = useQuery({ query: InboxBellDocument, requestPolicy: 'cache-and-network' });
  const [, markRead] = useMutation(MarkNotificationsReadDocument);
  const [, markAll] = useMutation(MarkAllNotificationsReadDocument);
  const [open, setOpen] = useState(false);
  const inbox = result.data?.viewer.notifications;
  const unread = inbox?.unreadCount ?? 0;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <div className="bell">
      <button type="button" className="btn btn-small" aria-expanded={open} aria-label={`Notifications, ${unread} unread`} onClick={() => setOpen(!open)}>
        🔔 {unread > 0 ? <span className="bell-count">{unread}</span> : null}
      </button>
      {open && inbox ? (
        <div className="bell-panel" role="region" aria-label="Notifications">
          <button type="button" className="btn btn-small" disabled={unread === 0} onClick={() => markAll({ input: {} }).then(reload)}>
            Mark all read
          </button>
          {inbox.nodes.length === 0 ? <p className="muted">No notifications.</p> : null}
          <ul>
            {inbox.nodes.map((n) => (
              <li key={n.id} className={n.read ? 'read' : 'unread'}>
                <span>{n.title}</span> <span className="muted">{n.projectName ?? ''} · {formatInstant(n.occurredAt)}</span>
                {!n.read ? (
                  <button type="button" className="btn btn-small" onClick={() => markRead({ input: { ids: [n.id] } }).then(reload)}>
                    Mark read
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
