/** An ECharts chart (canvas), resized with its box; clicks go to `onClick` with the datum's name and series. */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent, AriaComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, DatasetComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export interface ChartClick {
  name: string;
  seriesName?: string;
  dataIndex: number;
}

export function Chart({ option, onClick, label, testId }: { option: ChartOption; onClick?: (c: ChartClick) => void; label: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => click.current?.({ name: String(p.name), ...(p.seriesName ? { seriesName: p.seriesName } : {}), dataIndex: p.dataIndex }));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true, label: { description: label } }, ...option }, { notMerge: true });
  }, [option, label]);

  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} style={onClick ? { cursor: 'pointer' } : undefined} />;
}
