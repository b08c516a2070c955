import type { SvgIconComponent } from '@mui/icons-material';
import AddCircleOutlineIcon from '@mui/icons-material/AddCircleOutlineOutlined';
import CallSplitIcon from '@mui/icons-material/CallSplitOutlined';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import EditIcon from '@mui/icons-material/EditOutlined';
import EmojiEventsOutlinedIcon from '@mui/icons-material/EmojiEventsOutlined';
import FileUploadIcon from '@mui/icons-material/FileUploadOutlined';
import GroupsIcon from '@mui/icons-material/GroupsOutlined';
import LinkIcon from '@mui/icons-material/Link';
import LinkOffIcon from '@mui/icons-material/LinkOff';
import MergeIcon from '@mui/icons-material/MergeType';
import PhoneIcon from '@mui/icons-material/PhoneOutlined';
import ReplayIcon from '@mui/icons-material/Replay';
import RestoreFromTrashOutlinedIcon from '@mui/icons-material/RestoreFromTrashOutlined';
import StickyNoteIcon from '@mui/icons-material/StickyNote2Outlined';
import SyncAltIcon from '@mui/icons-material/SyncAlt';
import TaskAltIcon from '@mui/icons-material/TaskAltOutlined';
import type { ActivityKind } from '@shared/schemas';

export type KindPresentation = { label: string; Icon: SvgIconComponent; color: string };

/** How each kind of timeline entry looks: a word, an icon and a colour. */
export const kindPresentation: Record<ActivityKind, KindPresentation> = {
  call: { label: 'Call', Icon: PhoneIcon, color: 'primary.main' },
  meeting: { label: 'Meeting', Icon: GroupsIcon, color: 'primary.main' },
  task: { label: 'Task', Icon: TaskAltIcon, color: 'primary.main' },
  note: { label: 'Note', Icon: StickyNoteIcon, color: 'text.secondary' },
  edited: { label: 'Edited', Icon: EditIcon, color: 'text.secondary' },
  replaced: { label: 'Edit replaced', Icon: CallSplitIcon, color: 'warning.main' },
  created: { label: 'Created', Icon: AddCircleOutlineIcon, color: 'primary.main' },
  rule: { label: 'Synced', Icon: SyncAltIcon, color: 'info.main' },
  converted: { label: 'Converted', Icon: EmojiEventsOutlinedIcon, color: 'success.main' },
  reopened: { label: 'Reopened', Icon: ReplayIcon, color: 'warning.main' },
  linked: { label: 'Linked', Icon: LinkIcon, color: 'primary.main' },
  unlinked: { label: 'Unlinked', Icon: LinkOffIcon, color: 'text.secondary' },
  deleted: { label: 'Deleted', Icon: DeleteOutlineIcon, color: 'error.main' },
  restored: { label: 'Restored', Icon: RestoreFromTrashOutlinedIcon, color: 'success.main' },
  imported: { label: 'Imported', Icon: FileUploadIcon, color: 'primary.main' },
  merged: { label: 'Merged', Icon: MergeIcon, color: 'primary.main' },
  'not-duplicate': { label: 'Not a duplicate', Icon: CallSplitIcon, color: 'text.secondary' },
};
