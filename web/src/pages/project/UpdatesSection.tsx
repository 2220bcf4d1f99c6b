import { useQuery } from 'urql';
import { humanize } from '../../components/badges';
import { Empty, QueryView } from '../../components/states';
import { ThreadPanel } from '../../components/ThreadPanel';
import { ProjectUpdatesDocument } from '../../gql/graphql';
import { formatInstant } from '../../lib/dates';
import { FileList } from '../../components/FileList';
import { NewMarker } from '../../components/NewSinceVisit';

/** Markdown is shown as plain paragraphs: React escapes it, so no HTML from the API reaches the page. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i}>{p}</p>
        ))}
    </>
  );
}

export function UpdatesSection({ projectId }: { projectId: string }) {
  const [result, refetch] = useQuery({ query: ProjectUpdatesDocument, variables: { id: projectId } });
  return (
    <section id="updates" className="panel" aria-labelledby="updates-title">
      <h2 id="updates-title">Progress updates</h2>
      <QueryView result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {(data) => {
          const updates = data.node?.__typename === 'Project' ? data.node.updates.nodes : [];
          if (updates.length === 0) return <Empty>No updates for you on this project yet.</Empty>;
          return (
            <ul className="updates">
              {updates.map((u) => (
                <li key={u.id} className="update">
                  <h3>{u.title} <NewMarker id={u.id} /></h3>
                  <p className="muted">
                    {formatInstant(u.publishedAt)} · {u.author?.name ?? 'Project team'} · for {humanize(u.audience).toLowerCase()}
                  </p>
                  <Paragraphs text={u.body} />
                  <FileList files={u.files} label={`Files of ${u.title}`} />
                  <ThreadPanel subjectId={u.id} what="update" />
                </li>
              ))}
            </ul>
          );
        }}
      </QueryView>
    </section>
  );
}
