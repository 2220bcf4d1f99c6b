import type { Plugin } from 'vite';
export function collectDocuments(dir?: string): Record<string, string>;
export function persistedDocuments(): Plugin;
