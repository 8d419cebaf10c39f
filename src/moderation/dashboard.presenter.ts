/**
 * Dashboard figures → view model, including the geometry of the two
 * server-drawn SVG charts (decisions per week, coverage grid). Colours come
 * from classes in app.css, never from style attributes (strict CSP).
 */
import { daysBetween } from '../core/calendar';
import { listDepartements, getRegion, listRegions } from '../reference/territories';
import type { Coverage, Dashboard, QueueSummary, Scope, WeekCount } from './dashboard.service';
import { OVERDUE_DAYS } from '../inbox/queue';


const weekFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'short', timeZone: 'Europe/Paris' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' });
const longWeekFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

const regionName = (code: string) => getRegion(code)?.name ?? code;
/** French count: 0 and 1 take the singular. */
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** "moins d’une heure", "5 heures", "1 jour", "12 jours". */
export function ageLabel(from: Date, now: Date): string {
  const hours = Math.floor((now.getTime() - from.getTime()) / 3_600_000);
  if (hours < 1) return 'moins d’une heure';
  if (hours < 24) return plural(hours, 'heure', 'heures');
  return plural(daysBetween(from, now), 'jour', 'jours');
}

function scopeLabel(scope: Scope): string {
  if (scope.all) return 'toutes les régions';
  if (!scope.regions.length) return 'aucune région';
  return scope.regions.map(regionName).join(', ');
}

function presentQueue(queue: QueueSummary, scope: Scope, now: Date) {
  const regionParam = scope.region ? `&region=${scope.region}` : '';
  return {
    total: queue.total,
    totalLabel: queue.total ? `${plural(queue.total, 'élément ouvert', 'éléments ouverts')}.` : 'Aucun élément ouvert : rien n’attend.',
    oldestAge: queue.oldestAt ? ageLabel(queue.oldestAt, now) : undefined,
    oldestLabel: queue.oldestType ? queue.types.find((t) => t.type === queue.oldestType)?.label : undefined,
    oldestOverdue: !!queue.oldestAt && daysBetween(queue.oldestAt, now) >= OVERDUE_DAYS,
    rows: queue.types.map((t) => ({
      type: t.type,
      label: t.label,
      count: t.count,
      url: `/moderation/file?type=${t.type}${regionParam}`,
      oldestAge: t.oldestAt ? ageLabel(t.oldestAt, now) : undefined,
      overdue: !!t.oldestAt && daysBetween(t.oldestAt, now) >= OVERDUE_DAYS,
    })),
  };
}

// --- Decisions per week: a bar chart -------------------------------------------------------------

const BAR = { width: 640, height: 220, top: 26, bottom: 34, side: 8, barWidth: 44 };

/** Bars and labels of the weekly decisions chart, plus the rows of its text alternative. */
export function presentWeeks(weeks: WeekCount[]) {
  const plotHeight = BAR.height - BAR.top - BAR.bottom;
  const slot = (BAR.width - 2 * BAR.side) / Math.max(weeks.length, 1);
  const max = Math.max(1, ...weeks.map((w) => w.count));
  const baseline = BAR.top + plotHeight;
  const bars = weeks.map((w, i) => {
    const h = Math.round((w.count / max) * plotHeight);
    const centre = BAR.side + slot * i + slot / 2;
    return {
      x: Math.round(centre - BAR.barWidth / 2),
      y: baseline - h,
      width: BAR.barWidth,
      height: h,
      centre: Math.round(centre),
      valueY: baseline - h - 6,
      labelY: BAR.height - 12,
      value: w.count,
      label: weekFormat.format(w.start),
      longLabel: `Semaine du ${longWeekFormat.format(w.start)}`,
      current: i === weeks.length - 1,
    };
  });
  return {
    width: BAR.width,
    height: BAR.height,
    baseline,
    bars,
    totalLabel: plural(weeks.reduce((n, w) => n + w.count, 0), 'décision', 'décisions'),
  };
}

// --- Coverage: a grid of places × agency type groups ---------------------------------------------

const GRID = { label: 200, cell: 54, row: 30, header: 150, right: 140, gap: 2 };

/** Colour steps of a cell: none, then three rising bands (lower bounds). */
const STEPS = { departement: [1, 3, 10, 30], region: [1, 10, 50, 200] } as const;

function level(n: number, steps: readonly number[]): number {
  let l = 0;
  for (const s of steps) if (n >= s) l++;
  return l;
}

function legend(steps: readonly number[]) {
  const bands = steps.map((s, i) => {
    const next = steps[i + 1];
    const label = next === undefined ? `${s} fiches et plus` : `${s} à ${next - 1} fiches`;
    return { cls: `cov-${i + 1}`, label };
  });
  return [{ cls: 'cov-0', label: 'aucune fiche' }, ...bands];
}

interface Place {
  code: string;
  label: string;
}

function grid(id: string, title: string, placeHeading: string, places: Place[], coverage: Coverage) {
  const steps = STEPS[coverage.placeKind];
  const groups = coverage.groups;
  const columns = [...groups.map((g) => ({ code: g.code, label: g.label })), { code: 'total', label: 'Total' }];
  const width = GRID.label + columns.length * GRID.cell + GRID.right;
  const height = GRID.header + places.length * GRID.row + GRID.gap;
  const columnTotals = groups.map(() => 0);
  const rows = places.map((place, r) => {
    const counts = coverage.counts.get(place.code);
    const values = groups.map((g) => counts?.get(g.code) ?? 0);
    values.forEach((v, i) => (columnTotals[i] += v));
    const total = values.reduce((a, b) => a + b, 0);
    const y = GRID.header + r * GRID.row;
    const cells = [...values, total].map((value, c) => {
      const isTotal = c === groups.length;
      const l = isTotal ? 0 : level(value, steps);
      return {
        x: GRID.label + c * GRID.cell,
        y,
        width: GRID.cell - GRID.gap,
        height: GRID.row - GRID.gap,
        textX: GRID.label + c * GRID.cell + (GRID.cell - GRID.gap) / 2,
        textY: y + GRID.row / 2 + 4,
        cls: isTotal ? 'cov-total' : `cov-${l}`,
        textCls: l >= 3 ? 'cov-text cov-text--light' : 'cov-text',
        value,
        title: `${place.label} · ${columns[c].label} : ${value} fiche${value > 1 ? 's' : ''}`,
      };
    });
    return { label: place.label, labelX: GRID.label - 8, labelY: y + GRID.row / 2 + 5, cells, values, total };
  });
  const headers = columns.map((col, c) => {
    const x = GRID.label + c * GRID.cell + GRID.cell / 2;
    const y = GRID.header - 8;
    return { x, y, label: col.label, transform: `rotate(-45 ${x} ${y})` };
  });
  const gaps = rows.reduce((n, row) => n + row.values.filter((v) => v === 0).length, 0);
  const total = columnTotals.reduce((a, b) => a + b, 0);
  return {
    id,
    title,
    placeHeading,
    width,
    height,
    headers,
    rows,
    groups,
    columnTotals,
    total,
    summary: `${plural(total, 'fiche', 'fiches')} · ${plural(gaps, 'case vide', 'cases vides')} sur ${rows.length * groups.length}`,
    legend: legend(steps),
  };
}

/** One grid per région (départements as rows), or one national grid (régions as rows). */
export function presentCoverage(coverage: Coverage, scope: Scope) {
  if (coverage.placeKind === 'region') {
    const places = listRegions().map((r) => ({ code: r.code, label: r.name }));
    return [grid('couverture-france', 'Toutes les régions', 'Région', places, coverage)];
  }
  return scope.regions.map((code) => {
    const places = listDepartements(code).map((d) => ({ code: d.code, label: `${d.code} · ${d.name}` }));
    return grid(`couverture-${code}`, regionName(code), 'Département', places, coverage);
  });
}

// --- The page ------------------------------------------------------------------------------------

export function presentDashboard(d: Dashboard) {
  const { scope, now } = d;
  return {
    scopeLabel: scopeLabel(scope),
    noRegion: !scope.all && scope.regions.length === 0,
    regionFilter:
      scope.choices.length > 1
        ? {
            options: scope.choices.map((code) => ({ code, name: regionName(code), selected: code === scope.region })),
            allSelected: !scope.region,
          }
        : undefined,
    selectedRegion: scope.region,
    queue: presentQueue(d.queue, scope, now),
    weeks: d.decisions ? presentWeeks(d.decisions.weeks) : undefined,
    decisionsAt: d.decisions ? timeFormat.format(d.decisions.at) : undefined,
    coverage: d.coverage ? presentCoverage(d.coverage, scope) : [],
    coverageAt: d.coverage ? timeFormat.format(d.coverage.at) : undefined,
    misses: d.misses.map((m) => ({ query: m.query, count: m.count, lastAt: m.lastAt, regionName: regionName(m.region) })),
    showMissRegion: scope.all || scope.regions.length > 1,
    journalUrl: scope.region ? `/moderation/journal?region=${scope.region}` : '/moderation/journal',
  };
}
