/**
 * OpenTelemetry tracing: HTTP, express, GraphQL and PostgreSQL spans exported
 * over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Without either, nothing of OpenTelemetry
 * is even loaded: the packages are required inside `startTracing` only.
 *
 * Instrumentation patches modules as they are required, so this file must be
 * the first import of the entry (src/main.ts): anything that loads http,
 * express, graphql or pg before it would run unpatched.
 *
 * Spans never carry what a request sent (variables, tokens, literal values):
 * - GraphQL: `allowValues` stays off, so `graphql.source` has every literal
 *   replaced by `*` and no variables are recorded; resolver spans are off
 *   (they wrap every field resolver of the schema, a cost on every field);
 * - PostgreSQL: `enhancedDatabaseReporting` stays off (no parameter values),
 *   and since the ORM inlines values into its SQL text, the statement
 *   attribute is rewritten with every literal replaced by `?`;
 * - HTTP: the query string (a GET request's query and variables) is cut from
 *   the URL attributes; no header is recorded.
 * Operations run by the compiled executor (src/http/executor.ts) do not go
 * through graphql-js's `execute`, which the GraphQL instrumentation patches:
 * `traceExecution` opens the same execute span for them (name
 * `<type> <name>`, `graphql.operation.type` and `graphql.operation.name`;
 * the masked `graphql.source` stays on the parse span).
 * The request's span carries its request id (`vantage.request_id`, the
 * `x-request-id` response header) to find a logged request's trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { OperationDefinitionNode } from 'graphql';

export const REQUEST_ID_ATTRIBUTE = 'vantage.request_id';

/** Requests not worth a trace: probes and scrapes. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** The SQL text without its values: quoted literals and numbers become `?`. */
export function sqlWithoutValues(sql: string): string {
  return sql
    .replace(/\bE'(?:[^'\\]|\\.|'')*'/g, '?')
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, '?')
    .replace(/(?<![\w$."])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '?');
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const i = raw.indexOf('?');
  return i < 0 ? raw : raw.slice(0, i);
}

/** Attributes on SDK spans are readable; the API's Span interface does not expose them. */
function attributesOf(span: Span): Record<string, unknown> {
  return ((span as unknown as { attributes?: Record<string, unknown> }).attributes) ?? {};
}

const URL_ATTRIBUTES_WITH_QUERY = ['http.url', 'http.target', 'url.full'];

function withoutQuery(span: Span): void {
  const attributes = attributesOf(span);
  for (const key of URL_ATTRIBUTES_WITH_QUERY) {
    const value = attributes[key];
    if (typeof value === 'string' && value.includes('?')) span.setAttribute(key, value.slice(0, value.indexOf('?')));
  }
  if ('url.query' in attributes) span.setAttribute('url.query', '');
}

/** Instrumentation settings, exported so a test can hold them to the rules above. */
export const instrumentationConfig = {
  http: {
    ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED_PATHS.has(pathOf(req.url)),
    requestHook: (span: Span) => withoutQuery(span),
    applyCustomAttributesOnSpan: (span: Span, _request: unknown, response: unknown) => {
      withoutQuery(span);
      const id = typeof (response as ServerResponse).getHeader === 'function' ? (response as ServerResponse).getHeader('x-request-id') : undefined;
      if (typeof id === 'string') span.setAttribute(REQUEST_ID_ATTRIBUTE, id);
    },
  },
  graphql: { allowValues: false, ignoreResolveSpans: true, mergeItems: true },
  pg: {
    enhancedDatabaseReporting: false,
    requireParentSpan: true,
    requestHook: (span: Span, info: { query: { text: string } }) => {
      const attributes = attributesOf(span);
      const text = sqlWithoutValues(info.query.text);
      let replaced = false;
      for (const key of ['db.statement', 'db.query.text']) {
        if (key in attributes) {
          span.setAttribute(key, text);
          replaced = true;
        }
      }
      if (!replaced) span.setAttribute('db.statement', text);
    },
  },
} as const;

let shutdown: (() => Promise<void>) | null = null;
let api: typeof import('@opentelemetry/api') | null = null;

function startTracing(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } = require('@opentelemetry/semantic-conventions') as typeof import('@opentelemetry/semantic-conventions');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const otelApi = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { version } = require('../../package.json') as { version: string };
  /* eslint-enable @typescript-eslint/no-require-imports */

  // The exporter reads the endpoint, headers, timeout and compression from the OTEL_EXPORTER_OTLP_* variables.
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME || 'vantage', [ATTR_SERVICE_VERSION]: version }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation(instrumentationConfig.http as ConstructorParameters<typeof HttpInstrumentation>[0]),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation(instrumentationConfig.graphql),
      new PgInstrumentation(instrumentationConfig.pg as ConstructorParameters<typeof PgInstrumentation>[0]),
    ],
  });
  shutdown = () => provider.shutdown();
  api = otelApi;
}

export const tracingEnabled = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
  && process.env.OTEL_SDK_DISABLED !== 'true';

if (tracingEnabled) startTracing();

/** Sends the spans still buffered; called on shutdown before the process exits. */
export async function shutdownTracing(): Promise<void> {
  await shutdown?.();
}

/**
 * Runs an execution that bypasses graphql-js's `execute` inside a span like
 * the instrumentation's execute span (statements' spans nest under it);
 * without tracing, just runs it.
 */
export function traceExecution<T>(operation: OperationDefinitionNode | undefined, run: () => Promise<T>): Promise<T> {
  if (!api) return run();
  const { trace, context, SpanStatusCode } = api;
  const span = trace.getTracer('vantage-graphql').startSpan('graphql.execute');
  if (operation) {
    const name = operation.name?.value;
    span.setAttribute('graphql.operation.type', operation.operation);
    if (name) span.setAttribute('graphql.operation.name', name);
    span.updateName(name ? `${operation.operation} ${name}` : operation.operation);
  }
  return context.with(trace.setSpan(context.active(), span), run).then(
    (result) => {
      span.end();
      return result;
    },
    (err: unknown) => {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
      span.end();
      throw err;
    },
  );
}
