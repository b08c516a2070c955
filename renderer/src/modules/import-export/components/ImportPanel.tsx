import UploadFileIcon from '@mui/icons-material/UploadFileOutlined';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  Chip,
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
import { type ChangeEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { type CrmPreset, detectPreset, presetMapping } from '../presets/presets';
import { downloadText, problemRowsCsv } from '../utils/exportCsv';
import { fieldLabel, type ImportEntity, statusesOf } from '../utils/importFields';
import { importRowsInWorker } from '../utils/importInWorker';
import { autoMap, type ColumnMapping, duplicateMappings } from '../utils/mapping';
import { type ExistingRecordMode, existingRecordModes, type ImportPlan } from '../utils/matchExisting';
import { filledRows, type ParsedCsv, parseCsvFile } from '../utils/parseCsv';
import { checkRows, type ImportResult, loadLookups, type Progress } from '../utils/runImport';
import {
  CONVERTED,
  describeUntranslated,
  type ImportLookups,
  prefillTranslations,
  type Translations,
  translatedColumns,
  untranslatedValues,
} from '../utils/translation';
import type { RowIssue } from '../utils/validateRows';
import { ColumnMappingTable } from './ColumnMappingTable';
import { RowIssuesTable } from './RowIssuesTable';
import { ValueTranslationTable } from './ValueTranslationTable';

type Step =
  | { kind: 'idle' }
  | { kind: 'reading'; progress: Progress }
  | { kind: 'mapping' }
  | { kind: 'checking'; progress: Progress }
  | { kind: 'checked'; plan: ImportPlan }
  | { kind: 'importing'; plan: ImportPlan; progress: Progress }
  | { kind: 'done'; plan: ImportPlan; result: ImportResult };

/** A leads file starts in New; contacts have no default: the team chooses (never silently "Lead"). */
const initialDefaultStatus: Record<ImportEntity, string> = { contacts: '', leads: 'New' };

const nouns = {
  contacts: ['contact', 'contacts'],
  leads: ['lead', 'leads'],
  row: ['row', 'rows'],
} as const;

function countOf(count: number, noun: keyof typeof nouns): string {
  return `${count} ${nouns[noun][count === 1 ? 0 : 1]}`;
}

function percent(progress: Progress): number {
  return progress.total === 0 ? 100 : Math.round((progress.done / progress.total) * 100);
}

const emptyLookups: ImportLookups = { departments: [], teamMembers: [], userId: '' };

/**
 * CSV import: pick a file (parsed in a worker; exports of HubSpot, Salesforce, Pipedrive and Zoho are
 * recognised from their header row), map its columns to fields, translate the values of status, source,
 * priority, department and owner columns, choose what happens to records that exist already, check every
 * row (dry run: created / updated / unchanged / skipped / refused and why), then import through the
 * database layer with progress and cancel, and report what failed.
 */
export function ImportPanel() {
  const db = useDatabase();
  const [entity, setEntity] = useState<ImportEntity>('contacts');
  const [fileName, setFileName] = useState<string | null>(null);
  const [csv, setCsv] = useState<ParsedCsv | null>(null);
  const [preset, setPreset] = useState<CrmPreset | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [translations, setTranslations] = useState<Translations>({});
  const [lookups, setLookups] = useState<ImportLookups>(emptyLookups);
  const [defaultStatus, setDefaultStatus] = useState(initialDefaultStatus.contacts);
  const [existing, setExisting] = useState<ExistingRecordMode>('fillEmpty');
  const [createConvertedContacts, setCreateConvertedContacts] = useState(true);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const abort = useRef<AbortController | null>(null);
  const ids = { entity: useId(), status: useId(), mapping: useId(), translate: useId(), existing: useId() };

  const busy = step.kind === 'reading' || step.kind === 'checking' || step.kind === 'importing';
  const duplicates = useMemo(() => duplicateMappings(mapping), [mapping]);
  const mapped = new Set(Object.values(mapping));
  const namesMapped = mapped.has('firstName') || mapped.has('fullName');

  const columns = useMemo(() => (csv ? translatedColumns(csv, mapping, entity) : []), [csv, mapping, entity]);
  // Said in words next to the mapping, so no column with data is left out without the user seeing it.
  const unmappedWithValues = csv
    ? csv.headers.filter((header) => !mapping[header] && filledRows(csv, header) > 0)
    : [];
  // New values (another mapping, another file) start from the preset and what the user chose before.
  useEffect(() => {
    setTranslations((previous) => prefillTranslations(columns, entity, preset, lookups, previous));
  }, [columns, entity, preset, lookups]);
  const missing = useMemo(() => untranslatedValues(columns, translations), [columns, translations]);
  const statusColumn = Object.keys(mapping).find((header) => mapping[header] === 'status');
  const rowsWithoutStatus = csv
    ? csv.rows.length - (statusColumn === undefined ? 0 : filledRows(csv, statusColumn))
    : 0;
  const needsDefaultStatus = rowsWithoutStatus > 0 && defaultStatus === '';
  const hasConversions =
    entity === 'leads' &&
    Object.entries(translations).some(
      ([key, values]) => (key === 'status' || key === 'outcome') && Object.values(values).includes(CONVERTED),
    );

  /** Any change to the settings invalidates a previous dry run. */
  const backToMapping = useCallback(() => {
    setError(null);
    setStep((current) =>
      current.kind === 'idle' || current.kind === 'reading' ? current : { kind: 'mapping' },
    );
  }, []);

  const changeMapping = useCallback(
    (header: string, field: string | null) => {
      setMapping((previous) => ({ ...previous, [header]: field }));
      backToMapping();
    },
    [backToMapping],
  );

  const changeTranslation = useCallback(
    (fieldKey: string, valueKey: string, target: string) => {
      setTranslations((previous) => ({
        ...previous,
        [fieldKey]: { ...previous[fieldKey], [valueKey]: target },
      }));
      backToMapping();
    },
    [backToMapping],
  );

  const mappingFor = (headers: readonly string[], next: ImportEntity, nextPreset: CrmPreset | null) =>
    nextPreset && nextPreset.entity === next
      ? presetMapping(nextPreset, headers, next)
      : autoMap(headers, next);

  const chooseEntity = (next: ImportEntity) => {
    setEntity(next);
    setDefaultStatus(initialDefaultStatus[next]);
    if (csv) setMapping(mappingFor(csv.headers, next, preset));
    backToMapping();
  };

  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setStep({ kind: 'reading', progress: { done: 0, total: file.size } });
    try {
      const [parsed, freshLookups] = await Promise.all([
        parseCsvFile(file, (progress) => setStep({ kind: 'reading', progress }), controller.signal),
        loadLookups(db),
      ]);
      if (parsed.headers.length === 0) throw new Error(`${file.name} has no header row`);
      const detected = detectPreset(parsed.headers);
      const nextEntity = detected?.entity ?? entity;
      setLookups(freshLookups);
      setCsv(parsed);
      setFileName(file.name);
      setPreset(detected);
      if (nextEntity !== entity) setDefaultStatus(initialDefaultStatus[nextEntity]);
      setEntity(nextEntity);
      setMapping(mappingFor(parsed.headers, nextEntity, detected));
      setTranslations({});
      setStep({ kind: 'mapping' });
    } catch (readError) {
      setCsv(null);
      setFileName(null);
      setPreset(null);
      if (!controller.signal.aborted) setError(errorMessage(readError));
      setStep({ kind: 'idle' });
    } finally {
      abort.current = null;
    }
  };

  const check = async () => {
    if (!csv) return;
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setStep({ kind: 'checking', progress: { done: 0, total: csv.rows.length } });
    try {
      const plan = await checkRows(
        db,
        csv,
        { entity, mapping, translations, defaultStatus: defaultStatus || statusesOf[entity][0], existing },
        (progress) => setStep({ kind: 'checking', progress }),
        controller.signal,
      );
      setStep({ kind: 'checked', plan });
    } catch (checkError) {
      if (!controller.signal.aborted) setError(`Could not check the rows: ${errorMessage(checkError)}`);
      setStep({ kind: 'mapping' });
    } finally {
      abort.current = null;
    }
  };

  const runImport = async (plan: ImportPlan) => {
    const controller = new AbortController();
    abort.current = controller;
    const total = plan.counts.create + plan.counts.update;
    setStep({ kind: 'importing', plan, progress: { done: 0, total } });
    try {
      const result = await importRowsInWorker(
        db,
        plan,
        {
          entity,
          fileName: fileName ?? 'a CSV file',
          createConvertedContacts: hasConversions && createConvertedContacts,
        },
        (progress) => setStep({ kind: 'importing', plan, progress }),
        controller.signal,
      );
      setStep({ kind: 'done', plan, result });
    } catch (importError) {
      setError(`The import stopped: ${errorMessage(importError)}`);
      setStep({ kind: 'checked', plan });
    } finally {
      abort.current = null;
    }
  };

  const plan =
    step.kind === 'checked' || step.kind === 'importing' || step.kind === 'done' ? step.plan : null;
  const refusedRows = useMemo(
    () => plan?.rows.flatMap((row) => (row.kind === 'refused' ? [row.row] : [])) ?? [],
    [plan],
  );
  const notImported =
    step.kind === 'done'
      ? [...refusedRows, ...step.result.failed].sort((a, b) => a.rowNumber - b.rowNumber)
      : [];
  const downloadProblems = (rows: readonly { rowNumber: number; issues: RowIssue[] }[]) => {
    if (!csv) return;
    const base = (fileName ?? 'import').replace(/\.csv$/i, '');
    downloadText(problemRowsCsv(csv, rows), `${base}-not-imported.csv`);
  };
  const blockers = [
    ...(duplicates.length > 0
      ? [
          `${duplicates.map((key) => fieldLabel(entity, key)).join(', ')}: chosen for more than one column. Keep one.`,
        ]
      : []),
    ...(!namesMapped ? ['Map a column to First name (or Full name): every record needs one.'] : []),
    ...(needsDefaultStatus
      ? [`Choose the status for the ${countOf(rowsWithoutStatus, 'row')} without one.`]
      : []),
    ...describeUntranslated(missing),
  ];
  const writes = plan ? plan.counts.create + plan.counts.update : 0;

  return (
    <Paper component="section" aria-labelledby={`${ids.entity}-title`} variant="outlined" sx={{ p: 2 }}>
      <Typography id={`${ids.entity}-title`} variant="h6" component="h2" gutterBottom>
        Import from CSV
      </Typography>
      <Stack spacing={2}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
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
              : 'No file chosen. Exports of HubSpot, Salesforce, Pipedrive and Zoho are recognised.'}
          </Typography>
          {preset && <Chip color="primary" variant="outlined" label={`Recognised: ${preset.label}`} />}
        </Stack>
        {step.kind === 'reading' && (
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <LinearProgress
              variant="determinate"
              value={percent(step.progress)}
              aria-label="Reading the file"
              sx={{ flex: 1 }}
            />
            <Button color="inherit" onClick={() => abort.current?.abort()}>
              Cancel
            </Button>
          </Stack>
        )}
        {error && (
          <Alert severity="error" onClose={() => setError(null)}>
            {error}
          </Alert>
        )}

        {csv && step.kind !== 'idle' && step.kind !== 'reading' && (
          <>
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

            <Typography variant="subtitle1" component="h3" id={ids.mapping}>
              Column mapping
            </Typography>
            <ColumnMappingTable
              labelledBy={ids.mapping}
              csv={csv}
              entity={entity}
              preset={preset}
              mapping={mapping}
              duplicates={duplicates}
              disabled={busy}
              onChange={changeMapping}
            />
            {unmappedWithValues.length > 0 && (
              <Alert severity="info">
                {unmappedWithValues.length === 1 ? 'Column' : 'Columns'}{' '}
                {unmappedWithValues.map((header) => `“${header}”`).join(', ')}{' '}
                {unmappedWithValues.length === 1 ? 'has' : 'have'} values that will not be imported. Choose a
                field for {unmappedWithValues.length === 1 ? 'it' : 'them'} above to keep them.
              </Alert>
            )}

            {columns.length > 0 && (
              <>
                <Typography variant="subtitle1" component="h3" id={ids.translate}>
                  Values
                </Typography>
                <Typography variant="body2" color="text.secondary">
                  What each value of the file becomes here. Pre-filled from{' '}
                  {preset ? `the ${preset.label} layout` : 'the values’ names'}; values left to choose stop
                  the import.
                </Typography>
                <ValueTranslationTable
                  entity={entity}
                  columns={columns}
                  translations={translations}
                  lookups={lookups}
                  disabled={busy}
                  onChange={changeTranslation}
                />
              </>
            )}

            {rowsWithoutStatus > 0 && (
              <FormControl size="small" sx={{ maxWidth: 360 }} disabled={busy} error={needsDefaultStatus}>
                <InputLabel id={ids.status}>Status for new rows without one</InputLabel>
                <Select
                  labelId={ids.status}
                  label="Status for new rows without one"
                  value={defaultStatus}
                  onChange={(event) => {
                    setDefaultStatus(event.target.value);
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
            )}

            <FormControl disabled={busy}>
              <FormLabel id={ids.existing}>
                {entity === 'contacts' ? 'Contacts' : 'Leads'} that exist already (same id or email)
              </FormLabel>
              <RadioGroup
                row
                aria-labelledby={ids.existing}
                value={existing}
                onChange={(event) => {
                  setExisting(event.target.value as ExistingRecordMode);
                  backToMapping();
                }}
              >
                {existingRecordModes.map((mode) => (
                  <FormControlLabel
                    key={mode.value}
                    value={mode.value}
                    control={<Radio />}
                    label={mode.label}
                  />
                ))}
              </RadioGroup>
            </FormControl>

            {hasConversions && (
              <FormControlLabel
                disabled={busy}
                control={
                  <Checkbox
                    checked={createConvertedContacts}
                    onChange={(event) => setCreateConvertedContacts(event.target.checked)}
                  />
                }
                label="Also create the contact of each converted lead (status Active) and link them"
              />
            )}

            {blockers.length > 0 && (
              <Alert severity="warning">
                {blockers.map((blocker) => (
                  <div key={blocker}>{blocker}</div>
                ))}
              </Alert>
            )}

            <Stack direction="row" spacing={2}>
              <Button variant="outlined" onClick={check} disabled={busy || blockers.length > 0}>
                Check rows
              </Button>
              {(step.kind === 'checked' || step.kind === 'importing') && (
                <Button
                  variant="contained"
                  disabled={step.kind === 'importing' || writes === 0}
                  onClick={() => runImport(step.plan)}
                >
                  Import {countOf(writes, 'row')}
                </Button>
              )}
              {(step.kind === 'importing' || step.kind === 'checking') && (
                <Button color="inherit" onClick={() => abort.current?.abort()}>
                  Cancel {step.kind === 'importing' ? 'import' : 'check'}
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
            <Alert severity={step.plan.counts.refused > 0 ? 'warning' : 'success'}>
              Dry run of {countOf(step.plan.rows.length, 'row')}: {step.plan.counts.create} to create,{' '}
              {step.plan.counts.update} to update, {step.plan.counts.unchanged} unchanged,{' '}
              {step.plan.counts.skip} skipped (exist already), {step.plan.counts.refused} refused.
            </Alert>
          </Box>
        )}
        {step.kind === 'checked' && refusedRows.length > 0 && (
          <RowIssuesTable
            title="Rows with problems"
            rows={refusedRows}
            onDownload={() => downloadProblems(refusedRows)}
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
              <Alert severity={notImported.length > 0 ? 'warning' : 'success'}>
                {step.result.cancelled ? 'Import cancelled. ' : 'Import finished. '}
                Created {countOf(step.result.created, entity)}, updated {step.result.updated}.
                {step.result.convertedContacts > 0 &&
                  ` Created and linked ${countOf(step.result.convertedContacts, 'contacts')} of converted leads.`}
                {refusedRows.length > 0 && ` Skipped ${countOf(refusedRows.length, 'row')} with problems.`}
                {step.result.failed.length > 0 &&
                  ` The database refused ${countOf(step.result.failed.length, 'row')}.`}
              </Alert>
            </Box>
            {notImported.length > 0 && (
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
