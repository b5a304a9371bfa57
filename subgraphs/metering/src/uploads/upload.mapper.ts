import { toGlobalId } from '@ciro/subgraph-common';
import type { UploadRow } from './upload.repository';
import type {
  StoredFailure,
  StoredParseState,
  StoredPreview,
  StoredProblem,
  StoredSource,
  StoredStats,
} from './upload.model';
import {
  DateOrder,
  ProblemSeverity,
  SourceMatch,
  TimestampConvention,
  UploadKind,
  UploadStatus,
  type Upload,
  type UploadPreview,
  type UploadProblem,
  type UploadSource,
} from './upload.type';

export function uploadGlobalId(clientId: string, id: string): string {
  return toGlobalId('Upload', clientId, id);
}

export function parseStateOf(row: Pick<UploadRow, 'detectedMapping'>): StoredParseState {
  const state = row.detectedMapping as Partial<StoredParseState> | null;
  return { revision: state?.revision ?? 0, overrides: state?.overrides ?? {} };
}

const date = (iso: string): Date => new Date(iso);

function toProblem(p: StoredProblem): UploadProblem {
  return {
    ...p,
    severity: p.severity === 'ERROR' ? ProblemSeverity.ERROR : ProblemSeverity.WARNING,
    range: p.range ? { from: date(p.range.from), to: date(p.range.to), slots: p.range.slots } : null,
  };
}

function toSource(clientId: string, s: StoredSource): UploadSource {
  return {
    sheet: s.sheet,
    fileName: s.fileName,
    serial: s.serial,
    serialFrom: s.serialFrom,
    node: s.node,
    match: SourceMatch[s.match],
    meter: s.meterId ? { id: toGlobalId('Meter', clientId, s.meterId) } : null,
    customers: s.customers.map((c) => ({
      customer: { id: toGlobalId('Customer', clientId, c.id) },
      code: c.code,
      name: c.name,
    })),
    headerRow: s.headerRow,
    headers: s.headers,
    metadata: s.metadata,
    mappingOrigin: s.mappingOrigin ?? 'DETECTED',
    mapping: {
      ...s.mapping,
      convention: TimestampConvention[s.mapping.convention],
      dateOrder: s.mapping.dateOrder ? DateOrder[s.mapping.dateOrder] : null,
    },
    period: s.period ? { ...s.period, from: date(s.period.from), to: date(s.period.to) } : null,
    firstRows: s.firstRows,
    firstReadings: s.firstReadings.map((r) => ({ ...r, slotStart: date(r.slotStart) })),
    counts: s.counts,
    firstSlot: s.firstSlot ? date(s.firstSlot) : null,
    lastSlot: s.lastSlot ? date(s.lastSlot) : null,
    gaps: s.gaps.map((g) => ({ from: date(g.from), to: date(g.to), slots: g.slots })),
    problems: s.problems.map(toProblem),
  };
}

function toPreview(clientId: string, p: StoredPreview): UploadPreview {
  return {
    format: p.format,
    committable: p.committable,
    blockers: p.blockers,
    readings: p.readings,
    errorCount: p.errorCount,
    warningCount: p.warningCount,
    problems: p.problems.map(toProblem),
    sources: p.sources.map((s) => toSource(clientId, s)),
    forecastCustomers: p.forecastCustomers.map((c) => ({
      customerCode: c.customerCode,
      customer: c.customerId ? { id: toGlobalId('Customer', clientId, c.customerId) } : null,
      customerName: c.customerName,
      hours: c.hours,
      firstHour: c.firstHour ? date(c.firstHour) : null,
      lastHour: c.lastHour ? date(c.lastHour) : null,
    })),
  };
}

/** The GraphQL view of an uploads row. */
export function toUpload(row: UploadRow): Upload {
  const state = parseStateOf(row);
  const stats = (row.stats as StoredStats | null) ?? {};
  const failures = (row.errors as StoredFailure[] | null) ?? [];
  const failure =
    row.status === 'FAILED' ? (failures[0] ?? { code: 'FAILED', message: 'The file could not be read' }) : null;
  return {
    id: uploadGlobalId(row.clientId, row.id),
    rawClientId: row.clientId,
    rawId: row.id,
    clientId: toGlobalId('Client', row.clientId, row.clientId),
    kind: UploadKind[row.kind as keyof typeof UploadKind],
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes ?? 0,
    sha256: row.sha256,
    status: UploadStatus[row.status as keyof typeof UploadStatus],
    period: state.overrides.period ?? null,
    sheetSerials: Object.entries(state.overrides.sheetSerials ?? {}).map(([sheet, serial]) => ({ sheet, serial })),
    revision: state.revision,
    preview: row.preview ? toPreview(row.clientId, row.preview as StoredPreview) : null,
    summary: stats.summary ?? null,
    failure,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    committedAt: row.committedAt,
  };
}
