import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { ActionFeedback } from '../components/ActionFeedback';
import { Announcement } from '../components/Announcement';
import { humanize } from '../components/badges';
import { FileDrop } from '../components/FileDrop';
import { FileList } from '../components/FileList';
import { Empty, NotFound, QueryView } from '../components/states';
import { useAction } from '../components/useAction';
import { AddProjectDocumentDocument, CreateDocumentFolderDocument, DocumentRoomDocument, type UpdateAudience } from '../gql/graphql';
import { formatInstant } from '../lib/dates';
import { useViewer } from '../lib/viewer';

const AUDIENCES: UpdateAudience[] = ['INVESTORS', 'STAKEHOLDERS', 'PARTNERS'];

/**
 * A project's document room: folders of documents (letters, statements),
 * each for an audience like project updates. Everyone sees the documents of
 * their audience (the API decides); the operator's staff add folders and
 * upload documents. Every download of a document is recorded in the audit trail.
 */
export function DocumentRoomPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [result, refetch] = useQuery({ query: DocumentRoomDocument, variables: { id } });
  const [done, setDone] = useState<string | null>(null);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const operator = viewer.side === 'operator';

  return (
    <QueryView result={result} retry={reload}>
      {(data) => {
        const project = data.node?.__typename === 'Project' ? data.node : null;
        if (!project) return <NotFound what="Project" />;
        return (
          <article className="document-room" aria-labelledby="room-title">
            <header className="page-header">
              <p className="eyebrow">
                <Link to={`/projects/${encodeURIComponent(project.id)}`}>
                  {project.code} · {project.name}
                </Link>
              </p>
              <h1 id="room-title">Document room</h1>
            </header>
            <Announcement text={done} />
            {operator && <NewFolder projectId={project.id} onDone={(m) => { setDone(m); reload(); }} />}
            {project.documentFolders.length === 0 && <Empty>No documents yet.</Empty>}
            {project.documentFolders.map((folder) => (
              <section key={folder.id} className="panel folder" data-testid="folder" data-name={folder.name} aria-labelledby={`folder-${folder.id}`}>
                <h2 id={`folder-${folder.id}`}>{folder.name}</h2>
                {folder.documents.length === 0 ? (
                  <p className="muted small">No documents for you in this folder.</p>
                ) : (
                  <ul className="documents">
                    {folder.documents.map((d) => (
                      <li key={d.id} data-testid="document" data-title={d.title}>
                        <strong>{d.title}</strong> <span className="muted small">for {humanize(d.audience).toLowerCase()} · {formatInstant(d.createdAt)}</span>
                        {d.file && <FileList files={[d.file]} label={d.title} />}
                      </li>
                    ))}
                  </ul>
                )}
                {operator && <AddDocument folderId={folder.id} onDone={(m) => { setDone(m); reload(); }} />}
              </section>
            ))}
          </article>
        );
      }}
    </QueryView>
  );
}

function NewFolder({ projectId, onDone }: { projectId: string; onDone: (message: string) => void }) {
  const create = useAction(CreateDocumentFolderDocument, (data) => data.createDocumentFolder);
  const [name, setName] = useState('');
  const nameId = useId();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const message = `Folder “${name.trim()}” created.`;
    if (await create.run({ input: { projectId, name: name.trim() } }, message)) {
      setName('');
      onDone(message);
    }
  }
  return (
    <form className="form form-inline" onSubmit={onSubmit} aria-label="New folder">
      <label htmlFor={nameId}>New folder</label>
      <input id={nameId} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} required />
      <button type="submit" className="btn" disabled={create.state.fetching}>
        Create folder
      </button>
      <ActionFeedback state={create.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}

function AddDocument({ folderId, onDone }: { folderId: string; onDone: (message: string) => void }) {
  const add = useAction(AddProjectDocumentDocument, (data) => data.addProjectDocument);
  const [title, setTitle] = useState('');
  const [audience, setAudience] = useState<UpdateAudience>('INVESTORS');
  const [fileIds, setFileIds] = useState<string[]>([]);
  const [formKey, setFormKey] = useState(0);
  const titleId = useId();
  const audienceId = useId();
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const message = `“${title.trim()}” added for ${humanize(audience).toLowerCase()}.`;
    if (await add.run({ input: { folderId, title: title.trim(), audience, fileId: fileIds[0] } }, message)) {
      setTitle('');
      setFileIds([]);
      setFormKey((k) => k + 1);
      onDone(message);
    }
  }
  return (
    <form key={formKey} className="form" onSubmit={onSubmit} aria-label="Add a document">
      <label htmlFor={titleId}>Document title</label>
      <input id={titleId} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} required />
      <label htmlFor={audienceId}>Audience</label>
      <select id={audienceId} value={audience} onChange={(e) => setAudience(e.target.value as UpdateAudience)}>
        {AUDIENCES.map((a) => (
          <option key={a} value={a}>
            {humanize(a)}
          </option>
        ))}
      </select>
      <FileDrop onChange={setFileIds} multiple={false} label="Document file" />
      <button type="submit" className="btn btn-primary" disabled={add.state.fetching || fileIds.length === 0}>
        Add document
      </button>
      <ActionFeedback state={add.state} onReload={() => undefined} showDone={false} />
    </form>
  );
}
