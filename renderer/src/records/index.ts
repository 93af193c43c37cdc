/**
 * Record pane components for the app shell (issue #4, item 2): props in, callbacks out. They
 * keep no vault state of their own beyond the edit in progress; the shell owns storage, the
 * clipboard and link opening.
 */
export { RecordView, type RecordViewProps } from './view/RecordView.tsx';
export type { CopyHandler, OpenLinkHandler } from './view/fields.tsx';
export type { CopyTotpHandler } from './view/OtpCode.tsx';
export { RecordTypeIcon, recordTypeLabel, type RecordTypeIconProps } from './type-meta.tsx';
export { RecordEditor, type RecordEditorProps } from './editor/RecordEditor.tsx';
