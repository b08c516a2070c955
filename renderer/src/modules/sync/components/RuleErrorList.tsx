import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { useDatabase } from '@renderer/modules/database/hooks/useDatabase';
import { clearRuleErrors, dismissRuleError, type RuleError } from '@shared/sync';
import { useNavigate } from 'react-router';
import { recordPath } from '../utils/recordPath';
import { LocalListCard, LocalListSection } from './LocalListSection';

/** Link rules that could not update the linked record; the reconciler repairs the pair later. */
export function RuleErrorList({ errors }: { errors: RuleError[] }) {
  const db = useDatabase();
  const navigate = useNavigate();
  return (
    <LocalListSection
      id="rule-errors-heading"
      heading="Link rule errors"
      items={errors}
      empty="No rule errors: every change to a contact or lead was carried over to its linked record."
      headerAction={(run) => (
        <Button size="small" onClick={() => run(clearRuleErrors(db), 'clear the rule errors')}>
          Clear rule errors
        </Button>
      )}
      renderItem={(ruleError, run) => {
        const targetPath = recordPath(ruleError.target.collection, ruleError.target.id);
        const triggerPath = recordPath(ruleError.trigger.collection, ruleError.trigger.id);
        return (
          <LocalListCard
            label={`Rule ${ruleError.rule} error`}
            kind={{ label: `Rule ${ruleError.rule}`, color: 'warning' }}
            at={ruleError.at}
            actions={
              <>
                {triggerPath !== null && (
                  <Button size="small" variant="outlined" onClick={() => navigate(triggerPath)}>
                    {`Open changed ${ruleError.trigger.collection.replace(/s$/, '')}`}
                  </Button>
                )}
                {targetPath !== null && (
                  <Button size="small" variant="outlined" onClick={() => navigate(targetPath)}>
                    {`Open linked ${ruleError.target.collection.replace(/s$/, '')}`}
                  </Button>
                )}
                <Button
                  size="small"
                  aria-label={`Dismiss rule ${ruleError.rule} error`}
                  onClick={() => run(dismissRuleError(db, ruleError.id), 'dismiss the error')}
                >
                  Dismiss
                </Button>
              </>
            }
          >
            <Typography>{ruleError.message}</Typography>
          </LocalListCard>
        );
      }}
    />
  );
}
