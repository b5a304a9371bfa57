import * as echarts from 'echarts';

export interface BlockConsumption {
  block: string;
  kwh: number;
}

const BLOCK_ORDER = ['VALLE', 'RESTO', 'PUNTA'];

/** The month's consumption by time-of-use block, from the ENERGY_<block> lines. */
export function consumptionByBlock(lines: { kind: string; quantity: string | null }[]): BlockConsumption[] {
  return lines
    .filter((line) => line.kind.startsWith('ENERGY_') && line.quantity !== null)
    .map((line) => ({ block: line.kind.slice('ENERGY_'.length), kwh: Number(line.quantity) }))
    .sort((a, b) => rank(a.block) - rank(b.block));
}

function rank(block: string): number {
  const index = BLOCK_ORDER.indexOf(block);
  return index === -1 ? BLOCK_ORDER.length : index;
}

/** ECharts option for the bar chart; pure, so the chart can be tested without rendering. */
export function buildConsumptionByBlockOption(data: BlockConsumption[], color: string, locale: string) {
  const format = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'es-SV', { maximumFractionDigits: 0 });
  return {
    animation: false,
    grid: { left: 90, right: 20, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: data.map((d) => d.block), axisLabel: { fontSize: 11 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => format.format(v) } },
    series: [
      {
        type: 'bar',
        data: data.map((d) => d.kwh),
        itemStyle: { color },
        barWidth: '45%',
        label: {
          show: true,
          position: 'top',
          fontSize: 10,
          formatter: (p: { value: number }) => format.format(p.value),
        },
      },
    ],
  };
}

/** Server-side SVG (no DOM, no browser JS): the markup is inlined into the document. */
export function renderConsumptionChartSvg(data: BlockConsumption[], color: string, locale: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 520, height: 200 });
  try {
    chart.setOption(buildConsumptionByBlockOption(data, color, locale) as echarts.EChartsOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** ECharts option for the daily maximum demand curve (kW per local day). */
export function buildDailyDemandOption(data: { day: string; maxKw: number }[], color: string, locale: string) {
  const format = new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'es-SV', { maximumFractionDigits: 0 });
  return {
    animation: false,
    grid: { left: 70, right: 20, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: data.map((d) => d.day.slice(8, 10)), axisLabel: { fontSize: 9 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => format.format(v) } },
    series: [
      {
        type: 'line',
        data: data.map((d) => Number(d.maxKw.toFixed(1))),
        itemStyle: { color },
        lineStyle: { color, width: 2 },
        symbolSize: 4,
        areaStyle: { color, opacity: 0.08 },
      },
    ],
  };
}

export function renderDailyDemandSvg(data: { day: string; maxKw: number }[], color: string, locale: string): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 520, height: 180 });
  try {
    chart.setOption(buildDailyDemandOption(data, color, locale) as echarts.EChartsOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
