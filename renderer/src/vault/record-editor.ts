/**
 * The record editor the pane uses. TODO(#4): switch to the editor by type from
 * renderer/src/records once it lands; both take the same props.
 */
export { BasicRecordEditor as RecordEditor } from './BasicRecordEditor.tsx';
