import { useState } from 'react';
import type { AnyVariables, DocumentInput, OperationResult } from 'urql';
import { useMutation } from 'urql';
import type { UserErrorFieldsFragment } from '../gql/graphql';
import { describeError } from '../lib/errors';

export interface ActionState {
  fetching: boolean;
  /** Expected failures of the last attempt (validation, transition, version conflict). */
  userErrors: readonly UserErrorFieldsFragment[];
  /** An unexpected or access failure of the last attempt, as a sentence. */
  failure: string | null;
  /** What the last successful attempt did, for a status line. */
  done: string | null;
}

/**
 * Runs a mutation that returns `{ userErrors }` and keeps what a form needs
 * to show: progress, the user errors, a top-level failure, or success.
 */
export function useAction<Data, Variables extends AnyVariables>(
  document: DocumentInput<Data, Variables>,
  payloadOf: (data: Data) => { userErrors: readonly UserErrorFieldsFragment[] } | null | undefined,
) {
  const [{ fetching }, execute] = useMutation<Data, Variables>(document);
  const [state, setState] = useState<Omit<ActionState, 'fetching'>>({ userErrors: [], failure: null, done: null });

  /** `onSuccess` receives the answer of a successful attempt (e.g. a secret shown once, never kept in state here). */
  async function run(variables: Variables, successMessage: string, onSuccess?: (data: Data) => void): Promise<boolean> {
    setState({ userErrors: [], failure: null, done: null });
    const result: OperationResult<Data, Variables> = await execute(variables);
    if (result.error) {
      setState({ userErrors: [], failure: describeError(result.error), done: null });
      return false;
    }
    const payload = result.data ? payloadOf(result.data) : null;
    if (!payload) {
      setState({ userErrors: [], failure: 'The server did not answer as expected. Reload and try again.', done: null });
      return false;
    }
    if (payload.userErrors.length > 0) {
      setState({ userErrors: payload.userErrors, failure: null, done: null });
      return false;
    }
    setState({ userErrors: [], failure: null, done: successMessage });
    if (result.data) onSuccess?.(result.data);
    return true;
  }

  function reset() {
    setState({ userErrors: [], failure: null, done: null });
  }

  return { state: { ...state, fetching } as ActionState, run, reset };
}
