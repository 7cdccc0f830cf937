// The preload of Flint's window (sandboxed, context-isolated; bundled to dist/preload/index.cjs).
// It exposes window.flint = { commands: {…one function per command…}, onEvents(cb) } and nothing
// else; see api.ts.
import { contextBridge, ipcRenderer } from 'electron';
import { buildPreloadApi } from './api';

contextBridge.exposeInMainWorld('flint', buildPreloadApi(ipcRenderer));
