/**
 * Domain modules depend on their parents only: a child module adds its
 * connection to the parent type itself (`Project.milestones` lives in the
 * milestone module, `Contract.deliverables` in the deliverable module, every
 * `auditTrail` in the audit module), so a parent never imports its children
 * and a new child never edits its parent. Reaching a parent's *entity* goes
 * through src/model and needs no edge here; only imports of another module's
 * own files (resolvers, inputs, services, types) count.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const MODULES = path.resolve(__dirname, '../../src/modules');

/**
 * The only imports between modules, as child → parents. Minimal on purpose:
 * the last test fails when an edge is no longer used, so the list stays the
 * real dependency graph rather than everything that might be allowed.
 */
const ALLOWED: Record<string, string[]> = {
  // Writing a contract, a milestone, a report, a risk or an update first checks
  // that the viewer manages its project (project.service's managedProject).
  contract: ['project'],
  'financial-report': ['project'],
  milestone: ['project'],
  risk: ['project'],
  update: ['project'],
  // The dashboard reads across the model and adds fields to types defined
  // elsewhere: PartnerSummary.contracts is a ContractConnection (one GraphQL
  // type, defined once by the contract module), and Viewer.portfolio and
  // Viewer.partnerSummary extend the identity module's Viewer type.
  dashboard: ['contract', 'identity'],
  // Viewer.webhookEndpoints and Viewer.emailPreferences extend the identity module's Viewer type.
  notify: ['identity'],
  // Viewer.notifications and Viewer.previousVisitAt extend the identity module's Viewer type.
  notification: ['identity'],
  // The investor pack shows the dashboard's figures (its services, not a second computation);
  // the milestone list shows `overdue` as the milestone module decides it.
  export: ['dashboard', 'milestone'],
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The module under src/modules/ that a relative import of `file` lands in, or null when it lands elsewhere. */
function moduleOf(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = path.relative(MODULES, path.resolve(path.dirname(file), specifier));
  if (target.startsWith('..') || path.isAbsolute(target)) return null;
  return target.split(path.sep)[0];
}

/** Every import between two different modules, as `from → to` with the file that makes it. */
function crossModuleImports(): { from: string; to: string; where: string }[] {
  const found: { from: string; to: string; where: string }[] = [];
  for (const file of filesUnder(MODULES)) {
    const from = path.relative(MODULES, file).split(path.sep)[0];
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import|require)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const to = moduleOf(file, match[1]);
      if (to && to !== from) found.push({ from, to, where: `${path.relative(MODULES, file)} imports ${match[1]}` });
    }
  }
  return found;
}

test('a module imports only the modules it is allowed to depend on (its parents)', () => {
  const violations = crossModuleImports()
    .filter(({ from, to }) => !(ALLOWED[from] ?? []).includes(to))
    .map(({ where, to }) => `${where} (${to} is not a parent)`);
  expect(violations).toEqual([]);
});

test('the allowed edges name real modules and form no cycle', () => {
  const modules = readdirSync(MODULES).filter((name) => statSync(path.join(MODULES, name)).isDirectory());
  for (const [from, tos] of Object.entries(ALLOWED)) {
    for (const name of [from, ...tos]) expect(modules).toContain(name);
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const cycles: string[] = [];
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) { cycles.push([...trail, name].join(' → ')); return; }
    visiting.add(name);
    for (const next of ALLOWED[name] ?? []) visit(next, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of Object.keys(ALLOWED)) visit(name, []);
  expect(cycles).toEqual([]);
});

test('every allowed edge is used, so the list stays minimal', () => {
  const used = new Set(crossModuleImports().map(({ from, to }) => `${from} → ${to}`));
  const unused = Object.entries(ALLOWED).flatMap(([from, tos]) => tos.map((to) => `${from} → ${to}`)).filter((edge) => !used.has(edge));
  expect(unused).toEqual([]);
});

test('the walk sees the modules, so the checks above cannot pass by reading nothing', () => {
  expect(existsSync(path.join(MODULES, 'project', 'project.resolver.ts'))).toBe(true);
  expect(crossModuleImports().length).toBeGreaterThan(0);
});
