/**
 * Query-shape limits: depth and aliases from graphql-armor, directives by
 * the rule below, tokens by graphql-js's parser (server.ts). Armor's cost rule is
 * off: it reads only literal `first`/`last` (docs/pitfalls.md), so the cost is
 * computed with the request's variables instead (cost.ts). Field suggestions
 * are removed by Apollo and formatError. In production the messages do not
 * state the limits (`exposeLimits`), but still say what to change.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config';

export function armorProtection(limits: LimitsConfig): { plugins: ApolloServerPlugin<any>[]; validationRules: ValidationRule[] } {
  const exposeLimits = limits.exposeLimits;
  const armor = new ApolloArmor({
    maxDepth: {
      n: limits.maxDepth,
      exposeLimits,
      // Fragments count as a level: a fragment cannot be used to hide depth.
      flattenFragments: false,
      errorMessage: 'Query is nested too deeply: request fewer levels at once.',
    },
    maxAliases: {
      n: limits.maxAliases,
      exposeLimits,
      // Aliased __typename costs nothing to resolve but floods the response: counted like any alias.
      allowList: [],
      errorMessage: 'Query uses too many aliases: split it into several requests.',
    },
    // Armor 3.2 drops the directives written on a repeated fragment spread (`...F @skip(if: false)` × 500
    // counts as 1): maxDirectivesRule below counts every directive of the document instead.
    maxDirectives: { enabled: false },
    // Armor 3.2's token limit throws from `parsingDidStart`, which Apollo 5 turns into an HTTP 500
    // "Internal server error"; graphql-js enforces the same limit while parsing (Apollo `parseOptions.maxTokens`,
    // see server.ts), which answers a proper 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Suggestions are removed by Apollo (hideSchemaDetailsFromClientErrors) for validation errors and by
    // formatError for all others: armor's pattern misses "Did you mean the enum value …" from variables.
    blockFieldSuggestion: { enabled: false },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin<any>[],
    validationRules: [...(validationRules as ValidationRule[]), maxDirectivesRule(limits.maxDirectives, exposeLimits)],
  };
}

/** Every directive written in the document counts, wherever it stands (fields, fragments, spreads, operations). */
export function maxDirectivesRule(max: number, exposeLimits: boolean): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      Directive() {
        count += 1;
      },
      Document: {
        leave() {
          if (count > max) {
            context.reportError(new GraphQLError(exposeLimits
              ? `Syntax Error: Directives limit of ${max} exceeded, found ${count}.`
              : 'Syntax Error: Query uses too many directives.'));
          }
        },
      },
    };
  };
}

