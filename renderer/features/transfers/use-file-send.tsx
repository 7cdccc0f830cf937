// Files into a conversation: dropped onto it (with a visible drop target while dragging), pasted
// (an image or screenshot from the clipboard gets a dated name), or picked with "Send file". Page
// files are confirmed first (SendFilesDialog), then staged and sent by TransferActions.
import { useCallback, useRef, useState, type ClipboardEvent, type DragEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { needsPastedName, pastedImageName } from './format';
import { SendFilesDialog, type OfferedFiles } from './send-files-dialog';
import { useTransferActions } from './transfer-actions';
import { stageFailureText } from './transfer-text';

const hasFiles = (dt: DataTransfer | null): boolean => !!dt && Array.from(dt.types).includes('Files');

/** Files of a drop; folders are set apart (a folder "file" cannot be read). */
export function filesOfDrop(dt: DataTransfer): OfferedFiles {
  const files: File[] = [];
  const folders: string[] = [];
  const items = Array.from(dt.items ?? []);
  if (items.length > 0) {
    for (const item of items) {
      if (item.kind !== 'file') continue;
      const file = item.getAsFile();
      if (!file) continue;
      // webkitGetAsEntry is the only way a page can tell a dropped folder (null for synthetic items).
      const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
      if (entry?.isDirectory) folders.push(file.name);
      else files.push(file);
    }
  } else files.push(...Array.from(dt.files));
  return { files, folders };
}

/** Files pasted from the clipboard, screenshots renamed; none when the paste carries text (it is typed). */
export function filesOfPaste(dt: DataTransfer, prefix: string, now: Date): File[] {
  const files = Array.from(dt.files);
  if (files.length === 0) return [];
  // Office apps put an image of the copied cells next to the text: the text is what was meant.
  if (dt.getData('text/plain') !== '') return [];
  return files.map((f, i) => {
    if (!needsPastedName(f.name, f.type)) return f;
    const name = pastedImageName(prefix, f.type, now);
    // Several images pasted at once must not share a name.
    const unique = i === 0 ? name : name.replace(/(\.[a-z0-9]+)$/i, ` (${i + 1})$1`);
    return new File([f], unique, { type: f.type, lastModified: f.lastModified });
  });
}

export interface FileSend {
  /** Spread onto the conversation's panel: drag-and-drop and paste. */
  handlers: {
    onDragEnter(e: DragEvent): void;
    onDragOver(e: DragEvent): void;
    onDragLeave(e: DragEvent): void;
    onDrop(e: DragEvent): void;
    onPaste(e: ClipboardEvent): void;
  };
  dragging: boolean;
  /** Files chosen in the page (the hidden file input): confirm, then send. */
  offer(files: File[]): void;
  /** The drop target overlay and the confirmation dialog. */
  elements: ReactNode;
}

export function useFileSend(peer: string, peerName: string): FileSend {
  const { t, i18n } = useTranslation();
  const actions = useTransferActions();
  const [offered, setOffered] = useState<OfferedFiles | null>(null);
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them (the target stays while > 0).
  const depth = useRef(0);

  const offer = useCallback((files: File[]) => {
    if (files.length > 0) setOffered({ files, folders: [] });
  }, []);

  const handlers: FileSend['handlers'] = {
    onDragEnter(e) {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    },
    onDragOver(e) {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      if (!dragging) setDragging(true);
    },
    onDragLeave(e) {
      if (!hasFiles(e.dataTransfer)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop(e) {
      depth.current = 0;
      setDragging(false);
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      const dropped = filesOfDrop(e.dataTransfer);
      if (dropped.files.length > 0 || dropped.folders.length > 0) setOffered(dropped);
    },
    onPaste(e) {
      const files = filesOfPaste(e.clipboardData, t('transfers.pastedImage'), new Date());
      if (files.length === 0) return;
      e.preventDefault();
      setOffered({ files, folders: [] });
    },
  };

  const elements = (
    <>
      {dragging ? (
        <div className="file-drop" aria-hidden="true">
          <p className="file-drop__text">{t('transfers.dropHere', { name: peerName })}</p>
        </div>
      ) : null}
      {offered ? (
        <SendFilesDialog
          offered={offered}
          peerName={peerName}
          onClose={() => setOffered(null)}
          onSend={(files, opts) => {
            setOffered(null);
            const lng = i18n.language;
            void actions.sendFiles(peer, files, opts, (err) => stageFailureText(t, err, lng));
          }}
        />
      ) : null}
    </>
  );

  return { handlers, dragging, offer, elements };
}
