/**
 * The investor pack: one project's figures as of a date, in a PDF (pdfkit).
 * Every figure comes from the dashboard's services for the requesting viewer
 * (nothing is recomputed here, and the disclosure rule applies as it does in
 * the API); milestones, top risks and updates are read through the viewer's
 * scoped reader. Partners may not read financial figures, so they get no pack.
 */
import PDFDocument from 'pdfkit';
import { authed, type Context } from '../../access/context';
import { fieldRules } from '../../access/policy';
import { NotFoundError } from '../../core/errors';
import { Milestone } from '../../model/milestone.entity';
import { Project } from '../../model/project.entity';
import { ProjectUpdate } from '../../model/update.entity';
import { dashboardService } from '../dashboard/dashboard.service';
import type { SpendPeriod } from '../dashboard/dashboard.types';
import type { OnProgress } from './export.formats';

export const TOP_RISKS_IN_PACK = 5;
export const UPDATES_IN_PACK = 5;

export interface Pack { pdf: Buffer; sections: number; projectCode: string }

const money = (value: string | null | undefined, currency: string) => (value === null || value === undefined ? 'n/a' : `${value} ${currency}`);

/** Bars of planned and actual spend per period, drawn with the vector API. */
function chart(doc: PDFKit.PDFDocument, periods: SpendPeriod[], currency: string): void {
  const x0 = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const height = 140;
  if (doc.y + height + 60 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const top = doc.y + 10;
  const bottom = top + height;
  const shown = periods.slice(-12);
  const max = Math.max(1, ...shown.flatMap((p) => [Number(p.planned ?? 0), Number(p.actual ?? 0)]));
  doc.save();
  doc.lineWidth(0.5).strokeColor('#999999').moveTo(x0, bottom).lineTo(x0 + width, bottom).stroke();
  doc.moveTo(x0, top).lineTo(x0, bottom).stroke();
  const slot = width / Math.max(1, shown.length);
  const bar = Math.min(18, slot / 3);
  shown.forEach((p, i) => {
    const x = x0 + i * slot + slot / 2 - bar;
    const planned = (Number(p.planned ?? 0) / max) * height;
    const actual = (Number(p.actual ?? 0) / max) * height;
    doc.rect(x, bottom - planned, bar, planned).fill('#9bb7d4');
    doc.rect(x + bar, bottom - actual, bar, actual).fill('#1f4e79');
    doc.fillColor('#333333').fontSize(7).text(p.periodEnd.slice(0, 7), x0 + i * slot, bottom + 4, { width: slot, align: 'center' });
  });
  doc.restore();
  doc.fillColor('#000000').fontSize(8).text(`Planned (light) and actual (dark) spend per period, ${currency}; largest bar ${max.toFixed(2)}.`, x0, bottom + 18);
  doc.moveDown();
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).fillColor('#1f4e79').fontSize(13).text(text).fillColor('#000000').fontSize(9).moveDown(0.3);
}

/** The pack of a project the viewer sees, as of `asOf` (default: today). */
export async function investorPack(ctx: Context, projectId: string, asOf: string | null, onProgress?: OnProgress, compress = true): Promise<Pack> {
  const { reader, viewer } = authed(ctx);
  const project = await reader.byId(Project).load(projectId);
  if (!project) throw new NotFoundError('Project');
  fieldRules.financials(viewer);
  const financials = await dashboardService.financials(ctx, project.id, asOf);
  const ev = await dashboardService.earnedValue(ctx, project.id, asOf);
  const periods = financials ? await dashboardService.spendByPeriod(ctx, financials) : [];
  await onProgress?.(0.3);
  const milestoneSummary = await dashboardService.milestoneSummary(ctx, project.id, asOf);
  const risks = await dashboardService.riskSummary(ctx, project.id, TOP_RISKS_IN_PACK);
  const milestones = await reader.list(Milestone, { where: { project: project.id }, sort: 'dueDate' });
  const updates = (await reader.list(ProjectUpdate, { where: { project: project.id }, sort: 'publishedAt', desc: true })).slice(0, UPDATES_IN_PACK);
  await onProgress?.(0.6);

  const doc = new PDFDocument({ size: 'A4', margin: 50, compress, info: { Title: `Investor pack: ${project.name}`, Author: 'Vantage' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  const currency = project.currency;
  const date = financials?.asOf ?? ev?.asOf ?? asOf ?? '';

  doc.fontSize(20).text(project.name);
  doc.fontSize(10).fillColor('#555555').text(`${project.code} · ${project.status} · figures as of ${date} · amounts in ${currency}`).fillColor('#000000');

  heading(doc, 'Figures');
  const figures: [string, string][] = [
    ['Budget at completion (BAC)', money(financials?.budget, currency)],
    ['Committed', financials?.committed == null ? `withheld${financials?.investorCommitments.withheldReason ? `: ${financials.investorCommitments.withheldReason}` : ''}` : money(financials.committed, currency)],
    ['Actual cost to date (AC)', money(financials?.actualToDate, currency)],
    ['Estimate to complete (ETC)', money(financials?.estimateToComplete, currency)],
    ['Estimate at completion (EAC)', money(financials?.estimateAtCompletion, currency)],
    ['Variance at completion (VAC)', money(financials?.varianceAtCompletion, currency)],
    ['Burn rate per period', money(financials?.burnRate, currency)],
    ['Reported through', financials?.reportedThrough ?? 'no published report'],
    ['Planned value (PV)', money(ev?.plannedValue, currency)],
    ['Earned value (EV)', money(ev?.earnedValue, currency)],
    ['Cost variance (CV)', money(ev?.costVariance, currency)],
    ['Schedule variance (SV)', money(ev?.scheduleVariance, currency)],
    ['Cost performance index (CPI)', ev?.costPerformanceIndex ?? 'n/a'],
    ['Schedule performance index (SPI)', ev?.schedulePerformanceIndex ?? 'n/a'],
  ];
  for (const [label, value] of figures) {
    const y = doc.y;
    doc.text(label, 50, y, { width: 220 });
    doc.text(value, 280, y, { width: 265 });
    doc.x = 50;
  }

  heading(doc, 'Spend per period');
  if (periods.length) chart(doc, periods, currency);
  else doc.text('No published period yet.');

  heading(doc, 'Milestones');
  if (milestoneSummary) doc.text(`${milestoneSummary.done} of ${milestoneSummary.total} done, ${milestoneSummary.overdue} overdue, ${milestoneSummary.dueNext30Days} due in the next 30 days.`).moveDown(0.3);
  for (const m of milestones) doc.text(`${m.dueDate}   ${m.status}   ${m.progress}%   ${m.title}`);
  if (!milestones.length) doc.text('No milestones.');

  heading(doc, 'Top risks');
  const top = risks?.topRisks ?? [];
  for (const t of top) doc.text(`Score ${t.score}   ${t.risk.status}   ${t.risk.title}`);
  if (!top.length) doc.text('No open risk.');

  heading(doc, 'Updates');
  for (const u of updates) {
    doc.font('Helvetica-Bold').text(`${u.publishedAt.toISOString().slice(0, 10)}  ${u.title}`).font('Helvetica');
    doc.text(u.body.length > 400 ? `${u.body.slice(0, 400)}…` : u.body).moveDown(0.3);
  }
  if (!updates.length) doc.text('No updates.');

  doc.moveDown().fontSize(7).fillColor('#777777').text(`Generated ${new Date().toISOString()} for the requesting user; only what this user may see is included.`);
  doc.end();
  await ended;
  await onProgress?.(1);
  return { pdf: Buffer.concat(chunks), sections: 5, projectCode: project.code };
}
