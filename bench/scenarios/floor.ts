/**
 * Scenario 6, a reference rather than one of the scenarios: the
 * smallest request each engine can answer, `{ __typename }`, as an operator.
 * It reads no data, so it measures the fixed cost of one request: HTTP,
 * parsing and validation, and for Vantage also authentication (the token's
 * signature and user), the viewer, the cost limit and the rate limiter's
 * write, which PostGraphile, run without authentication, does not pay. Every
 * other scenario pays this floor once per request.
 */
import { shuffled, type Case, type Scenario } from './types';

const BODY = { data: { __typename: 'Query' } };

export const floor: Scenario = {
  number: 6,
  key: 'floor',
  title: 'Floor (reference): `{ __typename }`, no data read, as an operator',
  kind: 'read',
  reference: true,
  document: `query Floor {
  __typename
}`,
  async cases(ctx) {
    const out: Case[] = [];
    for (const user of ctx.users.admins) for (let i = 0; i < 5; i++) out.push({ user, variables: {} });
    return shuffled(out);
  },
  async rawJson() {
    return JSON.stringify(BODY);
  },
  async rawFlat() {
    return BODY;
  },
  postgraphile: {
    document: `query Floor {
  __typename
}`,
    canonicalOfPostgraphile: (data) => data.__typename,
    canonicalOfVantage: (data) => data.__typename,
  },
};
