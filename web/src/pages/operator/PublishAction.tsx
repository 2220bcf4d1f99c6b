import { useState } from 'react';
import { ActionFeedback } from '../../components/ActionFeedback';
import { useAction } from '../../components/useAction';
import { PublishFinancialReportDocument, type ReportFieldsFragment } from '../../gql/graphql';

/**
 * Publishing is final (a published report is immutable), so it asks once more.
 * A published report leaves the drafts list, so its confirmation goes to
 * `onPublished`, which the list shows above itself.
 */
export function PublishAction({ report, onReload, onPublished }: { report: ReportFieldsFragment; onReload: () => void; onPublished: () => void }) {
  const publish = useAction(PublishFinancialReportDocument, (data) => data.publishFinancialReport);
  const [confirming, setConfirming] = useState(false);
  const [withoutMissing, setWithoutMissing] = useState(false);
  // The API refuses a draft that leaves out categories (of the revision it restates, or still estimated in the
  // previous period's report) unless told to go ahead; its message names them.
  const missingCategories = publish.state.userErrors.some((e) => e.field?.includes('confirmMissingCategories'));
  return (
    <div className="publish-action">
      {!confirming ? (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)} disabled={publish.state.fetching}>
            Publish…
          </button>
        </div>
      ) : (
        <div className="form" role="group" aria-label="Confirm publishing">
          <p>
            Publishing makes revision {report.revision} visible to the project's investors and freezes it: corrections are made by restating it.
            {report.revision > 1 && ' The revision published before for this period will be marked superseded.'}
          </p>
          {(missingCategories || withoutMissing) && (
            <label className="checkbox">
              <input type="checkbox" checked={withoutMissing} onChange={(e) => setWithoutMissing(e.target.checked)} data-testid="confirm-missing-categories" />
              Publish without the missing categories named above
            </label>
          )}
          <div className="form-row">
            <button
              type="button"
              className="btn btn-primary"
              disabled={publish.state.fetching}
              onClick={async () => {
                const ok = await publish.run(
                  { input: { id: report.id, version: report.version, ...(withoutMissing ? { confirmMissingCategories: true } : {}) } },
                  'The report was published.',
                );
                if (ok) {
                  setConfirming(false);
                  onPublished();
                }
              }}
            >
              {publish.state.fetching ? 'Publishing…' : 'Publish now'}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={publish.state.fetching}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ActionFeedback state={publish.state} onReload={onReload} showDone={false} />
    </div>
  );
}
