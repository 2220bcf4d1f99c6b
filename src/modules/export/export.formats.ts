/**
 * Tables to files: CSV (RFC 4180) and XLSX (exceljs). The rules, and why,
 * are in docs/exports.md: CRLF rows, fields quoted when they hold a comma,
 * quote or line break, a UTF-8 byte order mark (so spreadsheet programs read
 * the text as UTF-8), text cells that a spreadsheet would run as a formula
 * prefixed with an apostrophe, money as the API's exact decimal string.
 */
import ExcelJS from 'exceljs';
import type { Cell, Table } from './export.tables';

/** Progress callback: the share of rows written so far, 0–1. */
export type OnProgress = (done: number) => Promise<void> | void;

const PROGRESS_EVERY = 500;

/** A decimal number as the API writes it (money, integers): never a formula, written as is. */
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** Characters a spreadsheet reads as the start of a formula (and tab/CR, which some also do). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell safe to open in a spreadsheet: a leading formula character gets an apostrophe. */
export function neutralize(text: string): string {
  return FORMULA_START.test(text) && !DECIMAL.test(text) ? `'${text}` : text;
}

function csvText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return neutralize(cell);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const BOM = '\uFEFF';

export async function toCsv(table: Table, onProgress?: OnProgress): Promise<Buffer> {
  const lines = [table.columns.map((c) => csvField(neutralize(c.header))).join(',')];
  let i = 0;
  for (const row of table.rows) {
    lines.push(table.columns.map((c) => csvField(csvText(row[c.key] ?? null))).join(','));
    if (++i % PROGRESS_EVERY === 0 && onProgress) await onProgress(i / table.rows.length);
  }
  return Buffer.from(`${BOM}${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * Money as a number cell only when the number reads back as the exact
 * decimal string: a double holds every decimal of at most 15 significant
 * digits exactly enough that `toFixed(2)` gives the string back. A larger
 * amount (numeric(18,2) allows 16 integer digits) is written as text, so no
 * cent is ever lost.
 */
export function moneyCell(value: string): number | string {
  const n = Number(value);
  return Number.isFinite(n) && n.toFixed(2) === value && value.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15 ? n : value;
}

export const MONEY_FORMAT = '#,##0.00';

export async function toXlsx(table: Table, onProgress?: OnProgress): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Vantage';
  workbook.created = new Date();
  const sheet = workbook.addWorksheet(table.name.slice(0, 31));
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.min(60, Math.max(10, c.header.length + 2)),
    ...(c.type === 'money' ? { style: { numFmt: MONEY_FORMAT } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  let i = 0;
  for (const row of table.rows) {
    const values: Record<string, unknown> = {};
    for (const c of table.columns) {
      const v = row[c.key] ?? null;
      if (v === null) values[c.key] = null;
      else if (c.type === 'money') values[c.key] = moneyCell(String(v));
      else if (c.type === 'int' || c.type === 'bool') values[c.key] = v;
      // Dates and instants stay ISO text: a spreadsheet date would carry the server's time zone.
      else values[c.key] = neutralize(String(v));
    }
    const added = sheet.addRow(values);
    for (const c of table.columns) if (c.type === 'money') added.getCell(c.key).numFmt = MONEY_FORMAT;
    if (++i % PROGRESS_EVERY === 0 && onProgress) await onProgress(i / table.rows.length);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
