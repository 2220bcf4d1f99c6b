import { useState } from 'react';
import { useQuery } from 'urql';
import {
  AskQuestionDocument, CloseThreadDocument, PostMessageDocument, PublishThreadDocument, SubjectThreadsDocument, type ThreadFieldsFragment,
} from '../gql/graphql';
import { formatInstant } from '../lib/dates';
import { useViewer } from '../lib/viewer';
import { ActionFeedback } from './ActionFeedback';
import { Empty, QueryView } from './states';
import { useAction } from './useAction';

/** The objects a thread can be about (QaThread.subject). */
const SUBJECT_TYPES = new Set(['FinancialReport', 'Risk', 'Deliverable', 'Milestone', 'ProjectUpdate']);

/**
 * Questions and answers about one report revision, risk, deliverable,
 * milestone or project update. Investors and
 * partners ask (privately or not) and follow up in their organization's
 * threads; the operator answers, publishes a private thread to everyone who
 * sees the object, and closes. The list is loaded only when opened, so a
 * page with many objects asks for nothing until then.
 */
export function ThreadPanel({ subjectId, what }: { subjectId: string; what: string }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="btn" data-testid="open-questions" onClick={() => setOpen(true)}>
          Questions about this {what}
        </button>
      </div>
    );
  }
  return <Threads subjectId={subjectId} what={what} />;
}

function Threads({ subjectId, what }: { subjectId: string; what: string }) {
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: SubjectThreadsDocument, variables: { id: subjectId }, requestPolicy: 'network-only' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <section className="threads" data-testid="thread-panel" aria-label={`Questions about this ${what}`}>
      <h4>Questions</h4>
      <QueryView result={result} retry={reload}>
        {(data) => {
          const node = data.node;
          const threads = node && SUBJECT_TYPES.has(node.__typename) && 'threads' in node ? node.threads.nodes : [];
          return (
            <>
              {threads.length === 0 ? <Empty>No questions yet.</Empty> : (
                <ul className="thread-list">
                  {threads.map((t) => <ThreadItem key={t.id} thread={t} onReload={reload} />)}
                </ul>
              )}
              {viewer.side !== 'operator' && <AskForm subjectId={subjectId} onAsked={reload} />}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function ThreadItem({ thread, onReload }: { thread: ThreadFieldsFragment; onReload: () => void }) {
  const viewer = useViewer();
  const operator = viewer.side === 'operator';
  // The server's word on what this viewer may do next (QaThread.availableActions).
  const may = new Set(thread.availableActions);
  const mayWrite = may.has('ANSWER') || may.has('FOLLOW_UP');
  const publish = useAction(PublishThreadDocument, (d) => d.publishThread);
  const close = useAction(CloseThreadDocument, (d) => d.closeThread);
  return (
    <li className="thread" data-testid="thread" data-title={thread.title}>
      <p>
        <strong>{thread.title}</strong>{' '}
        <span className="badge" data-testid="thread-status">{thread.status}</span>
        {thread.private && <span className="badge badge-warn" data-testid="thread-private">Private</span>}
        {thread.askerOrganization && <span className="muted small"> · asked by {thread.askerOrganization.name}</span>}
      </p>
      <ol className="messages">
        {thread.messages.nodes.map((m) => (
          <li key={m.id} className={m.fromOperator ? 'message answer' : 'message question'} data-testid="thread-message">
            <span className="muted small">{m.author?.name ?? (m.fromOperator ? 'Operator' : 'Asker')}, {formatInstant(m.createdAt)}:</span> {m.body}
          </li>
        ))}
      </ol>
      {mayWrite && <ReplyForm threadId={thread.id} operator={operator} onPosted={onReload} />}
      {(may.has('PUBLISH') || may.has('CLOSE')) && (
        <div className="actions">
          {may.has('PUBLISH') && (
            <button
              type="button"
              className="btn"
              data-testid="publish-thread"
              disabled={publish.state.fetching}
              onClick={async () => {
                if (await publish.run({ input: { id: thread.id, version: thread.version } }, 'The thread is now visible to everyone who sees this object.')) onReload();
              }}
            >
              Publish to everyone who sees this
            </button>
          )}
          {may.has('CLOSE') && (
            <button
              type="button"
              className="btn"
              disabled={close.state.fetching}
              onClick={async () => {
                if (await close.run({ input: { id: thread.id, version: thread.version } }, 'The thread was closed.')) onReload();
              }}
            >
              Close
            </button>
          )}
        </div>
      )}
      <ActionFeedback state={publish.state} onReload={onReload} />
      <ActionFeedback state={close.state} onReload={onReload} />
    </li>
  );
}

function ReplyForm({ threadId, operator, onPosted }: { threadId: string; operator: boolean; onPosted: () => void }) {
  const post = useAction(PostMessageDocument, (d) => d.postMessage);
  const [body, setBody] = useState('');
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await post.run({ input: { threadId, body } }, operator ? 'Your answer was posted.' : 'Your message was posted.')) {
          setBody('');
          onPosted();
        }
      }}
    >
      <label>
        {operator ? 'Answer' : 'Follow-up'}
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={2} data-testid="reply-body" />
      </label>
      <button type="submit" className="btn btn-primary" disabled={post.state.fetching || body.trim() === ''} data-testid="reply-submit">
        {operator ? 'Post answer' : 'Post'}
      </button>
      <ActionFeedback state={post.state} onReload={onPosted} />
    </form>
  );
}

function AskForm({ subjectId, onAsked }: { subjectId: string; onAsked: () => void }) {
  const ask = useAction(AskQuestionDocument, (d) => d.askQuestion);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [priv, setPriv] = useState(false);
  return (
    <form
      className="form"
      data-testid="ask-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await ask.run({ input: { subjectId, title, body, private: priv } }, 'Your question was sent to the operator.')) {
          setTitle('');
          setBody('');
          setPriv(false);
          onAsked();
        }
      }}
    >
      <h4>Ask a question</h4>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} data-testid="ask-title" />
      </label>
      <label>
        Question
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} data-testid="ask-body" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.target.checked)} data-testid="ask-private" /> Private: only my organization and the operator
      </label>
      <button type="submit" className="btn btn-primary" disabled={ask.state.fetching || title.trim() === '' || body.trim() === ''} data-testid="ask-submit">
        Ask
      </button>
      <ActionFeedback state={ask.state} onReload={onAsked} />
    </form>
  );
}
