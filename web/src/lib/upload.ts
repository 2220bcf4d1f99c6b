/**
 * Uploads to POST /files: one file per request, multipart, with the session's
 * bearer token. XMLHttpRequest rather than fetch because it reports upload
 * progress. The server sniffs the type from the bytes and answers with the
 * file's id, which a mutation then attaches (submitDeliverable's fileIds,
 * addProjectDocument's fileId, attachFiles).
 */
import { getToken } from './session';

export interface UploadedFile {
  id: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

export class UploadFailure extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

export function uploadFile(file: Blob & { name: string }, onProgress: (fraction: number) => void): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/files');
    const token = getToken();
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new UploadFailure('The upload failed: the server could not be reached', 'NETWORK'));
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: handled below
      }
      if (xhr.status === 201 && body?.id) {
        onProgress(1);
        resolve(body as UploadedFile);
        return;
      }
      const error = body?.errors?.[0];
      reject(new UploadFailure(error?.message ?? `The upload failed (HTTP ${xhr.status})`, error?.extensions?.code ?? 'HTTP'));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** "12 KB", "3.4 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A short label for a sniffed content type. */
export function typeLabel(contentType: string): string {
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'image/png': 'PNG',
    'image/jpeg': 'JPEG',
    'image/gif': 'GIF',
    'image/webp': 'WebP',
    'text/csv': 'CSV',
    'text/plain': 'Text',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  };
  return known[contentType] ?? contentType;
}
