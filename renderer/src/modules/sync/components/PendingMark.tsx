import CloudUploadOutlined from '@mui/icons-material/CloudUploadOutlined';
import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';

/** Marks a record whose local changes the sync server has not acknowledged yet. */
export function PendingMark() {
  return (
    <Tooltip title="Changed on this device, not yet acknowledged by the sync server">
      <Chip
        size="small"
        variant="outlined"
        color="warning"
        icon={<CloudUploadOutlined aria-hidden />}
        label="pending"
        sx={{ height: 20, fontSize: 11 }}
      />
    </Tooltip>
  );
}
