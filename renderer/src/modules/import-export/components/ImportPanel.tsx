import UploadFileIcon from '@mui/icons-material/UploadFileOutlined';
import {
  Alert,
  Box,
  Button,
  FormControl,
  FormControlLabel,
  FormLabel,
  InputLabel,
  LinearProgress,
  MenuItem,
  Paper,
  Radio,
  RadioGroup,
  Select,
  Stack,
  Typography,
} from '@mui/material';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { errorMessage } from '@renderer/modules/ui/utils/errorMessage';
import type { ContactStatus, LeadStatus } from '@shared/schemas';
import { type ChangeEvent, useCallback, useId, useMemo, useRef, useState } from 'react';
import { downloadText, problemRowsCsv } from '../utils/exportCsv';
import { fieldLabel, type ImportEntity, statusesOf } from '../utils/importFields';
import { autoMap, type ColumnMapping, duplicateMappings } from '../utils/mapping';
import { type ParsedCsv, parseCsvFile } from '../utils/parseCsv';
import { checkRows, type ImportResult, importRows, type Progress } from '../utils/runImport';
import type { CheckedRow, RowIssue } from '../utils/validateRows';
import { ColumnMappingTable } from './ColumnMappingTable';
import { RowIssuesTable } from './RowIssuesTable';

type Step =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'mapping' }
  | { kind: 'checking'; progress: Progress }
  | { kind: 'checked'; rows: CheckedRow[] }
  | { kind: 'importing'; rows: CheckedRow[]; progress: Progress }
  | { kind: 'done'; rows: CheckedRow[]; result: ImportResult };

const defaultStatusOf: Record<ImportEntity, ContactStatus | LeadStatus> = { contacts: 'Lead', leads: 'New' };

function countOf(count: number, noun: 'contact' | 'lead' | 'row'): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

const nounOf = { contacts: 'contact', leads: 'lead' } as const;

function percent(progress: Progress): number {
  return progress.total === 0 ? 100 : Math.round((progress.done / progress.total) * 100);
}

/**
 * CSV import: pick a file, map its columns to fields (guessed from the headers), check every row
 * (dry run: what would be refused and why), then import the good rows through the database layer with
 * a progress bar, and report what failed.
 */
export function ImportPanel() {
  const db = useDatabase();
  const [entity, setEntity] = useState<ImportEntity>('contacts');
  const [fileName, setFileName] = useState<string | null>(null);
  const [csv, setCsv] = useState<ParsedCsv | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [defaultStatus, setDefaultStatus] = useState<ContactStatus | LeadStatus>(defaultStatusOf.contacts);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const abort = useRef<AbortController | null>(null);
  const ids = { entity: useId(), status: useId(), mapping: useId() };

  const busy = step.kind === 'reading' || step.kind === 'checking' || step.kind === 'importing';
  const duplicates = useMemo(() => duplicateMappings(mapping), [mapping]);
  const firstNameMapped = Object.values(mapping).includes('firstName');

  /** Any change to the settings invalidates a previous dry run. */
  const backToMapping = () => {
    setError(null);
    if (csv) setStep({ kind: 'mapping' });
  };

  const changeMapping = useCallback(
    (header: string, field: string | null) => {
      setMapping((previous) => ({ ...previous, [header]: field }));
      setError(null);
      if (csv) setStep({ kind: 'mapping' });
    },
    [csv],
  );

  const chooseEntity = (next: ImportEntity) => {
    setEntity(next);
    setDefaultStatus(defaultStatusOf[next]);
    if (csv) setMapping(autoMap(csv.headers, next));
    backToMapping();
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setError(null);
    setStep({ kind: 'reading' });
    try {
      const parsed = await parseCsvFile(file);
      if (parsed.headers.length === 0) throw new Error(`${file.name} has no header row`);
      setCsv(parsed);
      setFileName(file.name);
      setMapping(autoMap(parsed.headers, entity));
      setStep({ kind: 'mapping' });
    } catch (readError) {
      setCsv(null);
      setFileName(null);
      setError(errorMessage(readError));
      setStep({ kind: 'idle' });
    }
  };

  const check = async () => {
    if (!csv) return;
    setError(null);
    setStep({ kind: 'checking', progress: { done: 0, total: csv.rows.length } });
    try {
      const rows = await checkRows(db, csv, { entity, mapping, defaultStatus }, (progress) =>
        setStep({ kind: 'checking', progress }),
      );
      setStep({ kind: 'checked', rows });
    } catch (checkError) {
      setError(`Could not check the rows: ${errorMessage(checkError)}`);
      setStep({ kind: 'mapping' });
    }
  };

  const runImport = async (rows: CheckedRow[]) => {
    const controller = new AbortController();
    abort.current = controller;
    const total = rows.filter((row) => row.document).length;
    setStep({ kind: 'importing', rows, progress: { done: 0, total } });
    try {
      const result = await importRows(
        db,
        entity,
        rows,
        (progress) => setStep({ kind: 'importing', rows, progress }),
        controller.signal,
      );
      setStep({ kind: 'done', rows, result });
    } catch (importError) {
      setError(`The import stopped: ${errorMessage(importError)}`);
      setStep({ kind: 'checked', rows });
    } finally {
      abort.current = null;
    }
  };

  const checkedRows =
    step.kind === 'checked' || step.kind === 'importing' || step.kind === 'done' ? step.rows : null;
  const goodRows = checkedRows?.filter((row) => row.document).length ?? 0;
  const badRows = checkedRows?.filter((row) => !row.document) ?? [];
  const notImported =
    step.kind === 'done' ? [...badRows, ...step.result.failed].sort((a, b) => a.rowNumber - b.rowNumber) : [];
  const downloadProblems = (rows: readonly { rowNumber: number; issues: RowIssue[] }[]) => {
    if (!csv) return;
    const base = (fileName ?? 'import').replace(/\.csv$/i, '');
    downloadText(problemRowsCsv(csv, rows), `${base}-not-imported.csv`);
  };

  return (
    <Paper component="section" aria-labelledby={`${ids.entity}-title`} variant="outlined" sx={{ p: 2 }}>
      <Typography id={`${ids.entity}-title`} variant="h6" component="h2" gutterBottom>
        Import from CSV
      </Typography>
      <Stack spacing={2}>
        <FormControl disabled={busy}>
          <FormLabel id={ids.entity}>Import as</FormLabel>
          <RadioGroup
            row
            aria-labelledby={ids.entity}
            value={entity}
            onChange={(event) => chooseEntity(event.target.value as ImportEntity)}
          >
            <FormControlLabel value="contacts" control={<Radio />} label="Contacts" />
            <FormControlLabel value="leads" control={<Radio />} label="Leads" />
          </RadioGroup>
        </FormControl>

        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Button
            variant="outlined"
            startIcon={<UploadFileIcon />}
            disabled={busy}
            onClick={() => fileInput.current?.click()}
          >
            Choose CSV file
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv,text/plain"
            hidden
            aria-label="CSV file"
            onChange={readFile}
          />
          <Typography color="text.secondary">
            {fileName && csv
              ? `${fileName}: ${csv.rows.length} rows, ${csv.headers.length} columns`
              : 'No file chosen'}
          </Typography>
        </Stack>
        {step.kind === 'reading' && <LinearProgress aria-label="Reading the file" />}
        {error && (
          <Alert severity="error" onClose={() => setError(null)}>
            {error}
          </Alert>
        )}

        {csv && step.kind !== 'idle' && step.kind !== 'reading' && (
          <>
            <Typography variant="subtitle1" component="h3" id={ids.mapping}>
              Column mapping
            </Typography>
            <ColumnMappingTable
              labelledBy={ids.mapping}
              csv={csv}
              entity={entity}
              mapping={mapping}
              duplicates={duplicates}
              disabled={busy}
              onChange={changeMapping}
            />

            <FormControl size="small" sx={{ maxWidth: 320 }} disabled={busy}>
              <InputLabel id={ids.status}>Status for rows without one</InputLabel>
              <Select
                labelId={ids.status}
                label="Status for rows without one"
                value={defaultStatus}
                onChange={(event) => {
                  setDefaultStatus(event.target.value as ContactStatus | LeadStatus);
                  backToMapping();
                }}
              >
                {statusesOf[entity].map((status) => (
                  <MenuItem key={status} value={status}>
                    {status}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>

            {duplicates.length > 0 && (
              <Alert severity="warning">
                {duplicates.map((key) => fieldLabel(entity, key)).join(', ')}: chosen for more than one
                column. Keep one.
              </Alert>
            )}
            {!firstNameMapped && (
              <Alert severity="warning">Map a column to First name: every record needs one.</Alert>
            )}

            <Stack direction="row" spacing={2}>
              <Button
                variant="outlined"
                onClick={check}
                disabled={busy || duplicates.length > 0 || !firstNameMapped}
              >
                Check rows
              </Button>
              {(step.kind === 'checked' || step.kind === 'importing') && (
                <Button
                  variant="contained"
                  disabled={step.kind === 'importing' || goodRows === 0}
                  onClick={() => runImport(step.rows)}
                >
                  Import {countOf(goodRows, nounOf[entity])}
                </Button>
              )}
              {step.kind === 'importing' && (
                <Button color="inherit" onClick={() => abort.current?.abort()}>
                  Cancel import
                </Button>
              )}
            </Stack>
          </>
        )}

        {step.kind === 'checking' && (
          <Box>
            <Typography variant="body2" gutterBottom>
              Checking rows… {step.progress.done} of {step.progress.total}
            </Typography>
            <LinearProgress variant="determinate" value={percent(step.progress)} aria-label="Checking rows" />
          </Box>
        )}

        {step.kind === 'checked' && (
          <Box role="status">
            <Alert severity={badRows.length > 0 ? 'warning' : 'success'}>
              Dry run: {goodRows} of {countOf(step.rows.length, 'row')} can be imported
              {badRows.length > 0
                ? `; ${countOf(badRows.length, 'row')} with problems will be skipped.`
                : '.'}
            </Alert>
          </Box>
        )}
        {step.kind === 'checked' && badRows.length > 0 && (
          <RowIssuesTable
            title="Rows with problems"
            rows={badRows}
            onDownload={() => downloadProblems(badRows)}
          />
        )}

        {step.kind === 'importing' && (
          <Box>
            <Typography variant="body2" gutterBottom>
              Importing… {step.progress.done} of {step.progress.total}
            </Typography>
            <LinearProgress
              variant="determinate"
              value={percent(step.progress)}
              aria-label="Import progress"
            />
          </Box>
        )}

        {step.kind === 'done' && (
          <>
            <Box role="status">
              <Alert severity={step.result.failed.length + badRows.length > 0 ? 'warning' : 'success'}>
                {step.result.cancelled ? 'Import cancelled. ' : 'Import finished. '}
                Imported {countOf(step.result.imported, nounOf[entity])}.
                {badRows.length > 0 && ` Skipped ${countOf(badRows.length, 'row')} with problems.`}
                {step.result.failed.length > 0 &&
                  ` The database refused ${countOf(step.result.failed.length, 'row')}.`}
              </Alert>
            </Box>
            {(badRows.length > 0 || step.result.failed.length > 0) && (
              <RowIssuesTable
                title="Rows not imported"
                rows={notImported}
                onDownload={() => downloadProblems(notImported)}
              />
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
