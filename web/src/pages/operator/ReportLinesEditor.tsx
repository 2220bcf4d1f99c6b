import { humanize } from '../../components/badges';
import type { FinancialReportLineInput, ReportLineFieldsFragment, SpendCategory } from '../../gql/graphql';
import { formatMoney, sum } from '../../lib/money';
import { parseAmount } from '../../lib/money-input';

/** The API's spend categories, in the order a report lists them; at most one line each. */
export const SPEND_CATEGORIES: readonly SpendCategory[] = ['LABOR', 'VENDORS', 'INFRASTRUCTURE', 'LICENSES', 'OTHER'];

const AMOUNTS = [
  ['planned', 'planned'],
  ['actual', 'actual'],
  ['estimateToComplete', 'estimate to complete'],
] as const;
type AmountField = (typeof AMOUNTS)[number][0];

/** A line as typed: the amounts stay the person's text until they are checked on submit. */
export interface LineDraft {
  key: number;
  category: SpendCategory;
  planned: string;
  actual: string;
  estimateToComplete: string;
}

let nextKey = 1;

export function draftsOf(lines: readonly ReportLineFieldsFragment[]): LineDraft[] {
  return lines.map((l) => ({ key: nextKey++, category: l.category, planned: l.planned, actual: l.actual, estimateToComplete: l.estimateToComplete }));
}

/** Field errors by `${key}.${field}`; empty when every amount is an exact decimal the API accepts. */
export type LineErrors = Record<string, string>;

/**
 * The lines as the API takes them, each amount normalized to an exact decimal
 * string (parseAmount), or the errors to show next to the fields. Nothing is
 * sent while any amount is refused.
 */
export function checkLines(lines: readonly LineDraft[]): { lines: FinancialReportLineInput[] | null; errors: LineErrors } {
  const errors: LineErrors = {};
  const seen = new Set<SpendCategory>();
  const checked = lines.map((line) => {
    if (seen.has(line.category)) errors[`${line.key}.category`] = `${humanize(line.category)} appears twice: one line per category`;
    seen.add(line.category);
    const values = {} as Record<AmountField, string>;
    for (const [field] of AMOUNTS) {
      const parsed = parseAmount(line[field]);
      if (parsed.ok) values[field] = parsed.value;
      else errors[`${line.key}.${field}`] = parsed.message;
    }
    return { category: line.category, ...values };
  });
  return Object.keys(errors).length > 0 ? { lines: null, errors } : { lines: checked, errors };
}

/** Edits a report's lines: add one per unused category, change the amounts, remove lines. */
export function ReportLinesEditor({
  lines,
  onChange,
  errors,
  currency,
}: {
  lines: readonly LineDraft[];
  onChange: (lines: LineDraft[]) => void;
  errors: LineErrors;
  currency: string;
}) {
  const used = new Set(lines.map((l) => l.category));
  const unused = SPEND_CATEGORIES.filter((c) => !used.has(c));
  const set = (key: number, patch: Partial<LineDraft>) => onChange(lines.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  // The running totals only count amounts that already parse: exact, in integer cents.
  const totalOf = (field: AmountField) => {
    const valid = lines.map((l) => parseAmount(l[field])).flatMap((p) => (p.ok ? [p.value] : []));
    return valid.length === lines.length && lines.length > 0 ? formatMoney(sum(valid), currency) : '—';
  };

  return (
    // min-width 0: a fieldset otherwise grows to its table's full width and the page scrolls sideways on a phone.
    <fieldset className="lines-editor" style={{ minWidth: 0 }}>
      <legend>Lines</legend>
      {lines.length === 0 && <p className="muted small">No lines yet. A report needs at least one line before it is published.</p>}
      {lines.length > 0 && (
        <div className="table-wrap">
          <table className="table numbers" data-testid="lines-editor">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Planned ({currency})</th>
                <th scope="col">Actual ({currency})</th>
                <th scope="col">Estimate to complete ({currency})</th>
                <th scope="col">
                  <span className="sr-only">Remove</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => {
                const name = humanize(line.category);
                return (
                  <tr key={line.key} data-testid="line-row" data-category={line.category}>
                    <td data-label="Category">
                      <select aria-label={`Category of the ${name} line`} value={line.category} onChange={(e) => set(line.key, { category: e.target.value as SpendCategory })}>
                        {SPEND_CATEGORIES.filter((c) => c === line.category || !used.has(c)).map((c) => (
                          <option key={c} value={c}>
                            {humanize(c)}
                          </option>
                        ))}
                      </select>
                      {errors[`${line.key}.category`] && <FieldError text={errors[`${line.key}.category`]} />}
                    </td>
                    {AMOUNTS.map(([field, label]) => {
                      const error = errors[`${line.key}.${field}`];
                      return (
                        <td key={field} data-label={label}>
                          <input
                            type="text"
                            inputMode="decimal"
                            autoComplete="off"
                            size={12}
                            aria-label={`${name} ${label}`}
                            aria-invalid={error ? true : undefined}
                            value={line[field]}
                            onChange={(e) => set(line.key, { [field]: e.target.value })}
                          />
                          {error && <FieldError text={error} />}
                        </td>
                      );
                    })}
                    <td>
                      <button type="button" className="btn btn-small" aria-label={`Remove the ${name} line`} onClick={() => onChange(lines.filter((l) => l.key !== line.key))}>
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total</th>
                {AMOUNTS.map(([field]) => (
                  <td key={field}>{totalOf(field)}</td>
                ))}
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {unused.length > 0 && (
        <div className="actions">
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange([...lines, { key: nextKey++, category: unused[0], planned: '', actual: '', estimateToComplete: '' }])}
          >
            Add line
          </button>
        </div>
      )}
    </fieldset>
  );
}

function FieldError({ text }: { text: string }) {
  return (
    <span className="field-error text-bad small" role="alert">
      {' '}
      {text}
    </span>
  );
}
