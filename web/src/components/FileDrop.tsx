import { useId, useRef, useState, type DragEvent } from 'react';
import { formatSize, uploadFile, type UploadedFile } from '../lib/upload';

interface Entry {
  key: number;
  name: string;
  size: number;
  progress: number;
  uploaded: UploadedFile | null;
  error: string | null;
}

/**
 * Drag-and-drop (or pick) files; each one uploads at once with a progress
 * bar, and `onChange` receives the uploaded files' ids for the mutation that
 * attaches them. A refused file (type, size, empty) shows the server's reason.
 */
export function FileDrop({ onChange, multiple = true, label = 'Attach files' }: { onChange: (ids: string[]) => void; multiple?: boolean; label?: string }) {
  const [entries, setEntries] = useState<Entry[]>([]);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const seq = useRef(0);

  const update = (key: number, patch: Partial<Entry>) => {
    setEntries((all) => {
      const next = all.map((e) => (e.key === key ? { ...e, ...patch } : e));
      onChange(next.filter((e) => e.uploaded).map((e) => e.uploaded!.id));
      return next;
    });
  };

  function add(files: FileList | null) {
    if (!files) return;
    const picked = multiple ? [...files] : [...files].slice(0, 1);
    const fresh = picked.map((f) => ({ key: (seq.current += 1), name: f.name, size: f.size, progress: 0, uploaded: null, error: null }));
    setEntries((all) => (multiple ? [...all, ...fresh] : fresh));
    picked.forEach((file, i) => {
      const key = fresh[i].key;
      uploadFile(file, (progress) => update(key, { progress })).then(
        (uploaded) => update(key, { uploaded, progress: 1 }),
        (err: Error) => update(key, { error: err.message }),
      );
    });
  }

  const remove = (key: number) => {
    setEntries((all) => {
      const next = all.filter((e) => e.key !== key);
      onChange(next.filter((e) => e.uploaded).map((e) => e.uploaded!.id));
      return next;
    });
  };

  return (
    <div className="file-drop-wrap">
      <div
        className={`file-drop${over ? ' file-drop-over' : ''}`}
        data-testid="file-drop"
        onDragOver={(e: DragEvent) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e: DragEvent) => {
          e.preventDefault();
          setOver(false);
          add(e.dataTransfer.files);
        }}
      >
        <label htmlFor={inputId}>{label}</label>: drop {multiple ? 'files' : 'a file'} here or{' '}
        <button type="button" className="btn btn-link" onClick={() => input.current?.click()}>
          choose…
        </button>
        <input id={inputId} ref={input} type="file" multiple={multiple} hidden onChange={(e) => {
          add(e.target.files);
          e.target.value = '';
        }} />
        <div className="muted small">PDF, images, Word/Excel/PowerPoint, CSV or text.</div>
      </div>
      {entries.length > 0 && (
        <ul className="uploads">
          {entries.map((e) => (
            <li key={e.key} data-testid="upload" data-name={e.name} data-state={e.error ? 'failed' : e.uploaded ? 'done' : 'uploading'}>
              <span>{e.name}</span> <span className="muted small">{formatSize(e.size)}</span>{' '}
              {!e.error && <progress max={1} value={e.progress} aria-label={`Upload of ${e.name}`} />}
              {e.uploaded && <span className="small"> uploaded</span>}
              {e.error && <span className="error small" role="alert"> {e.error}</span>}{' '}
              <button type="button" className="btn btn-link" onClick={() => remove(e.key)} aria-label={`Remove ${e.name}`}>
                remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
