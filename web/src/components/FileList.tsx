import { formatSize, typeLabel } from '../lib/upload';

export interface FileItem {
  id: string;
  name: string;
  contentType: string;
  size: number;
  url: string;
}

/**
 * Files with their type, size and a download link. The link is a short-lived
 * URL signed for the viewer: it is fetched with the page and the download is
 * checked again by the server, so a stale page just needs a reload.
 */
export function FileList({ files, label = 'Files' }: { files: readonly FileItem[]; label?: string }) {
  if (files.length === 0) return null;
  return (
    <ul className="file-list" aria-label={label}>
      {files.map((f) => (
        <li key={f.id} className="file" data-testid="file" data-name={f.name}>
          <a href={f.url} download={f.name} data-testid="file-link">
            {f.name}
          </a>{' '}
          <span className="muted small">
            {typeLabel(f.contentType)} · {formatSize(f.size)}
          </span>
        </li>
      ))}
    </ul>
  );
}
