// CPU and memory of the container over the last samples (the sidecar reports stats
// every few seconds), drawn as an SVG; the latest values are also given as text.

const NS = 'http://www.w3.org/2000/svg';
const MAX_SAMPLES = 120;

export class StatsChart {
  readonly element: SVGSVGElement;
  private readonly cpu: SVGPolylineElement;
  private readonly memory: SVGPolylineElement;
  private readonly samples: { cpu: number; memory: number }[] = [];

  constructor() {
    this.element = document.createElementNS(NS, 'svg');
    this.element.setAttribute('viewBox', `0 0 ${MAX_SAMPLES - 1} 100`);
    this.element.setAttribute('preserveAspectRatio', 'none');
    this.element.setAttribute('class', 'chart');
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', 'CPU and memory use over the last samples');
    for (const y of [25, 50, 75]) {
      const line = document.createElementNS(NS, 'line');
      line.setAttribute('x1', '0');
      line.setAttribute('x2', String(MAX_SAMPLES - 1));
      line.setAttribute('y1', String(y));
      line.setAttribute('y2', String(y));
      line.setAttribute('class', 'gridline');
      this.element.appendChild(line);
    }
    this.cpu = this.line('cpu');
    this.memory = this.line('memory');
  }

  add(cpu: number, memory: number): void {
    this.samples.push({ cpu: clamp(cpu), memory: clamp(memory) });
    if (this.samples.length > MAX_SAMPLES) this.samples.shift();
    const offset = MAX_SAMPLES - this.samples.length;
    const points = (pick: (s: { cpu: number; memory: number }) => number) =>
      this.samples.map((s, i) => `${offset + i},${(100 - pick(s)).toFixed(1)}`).join(' ');
    this.cpu.setAttribute('points', points((s) => s.cpu));
    this.memory.setAttribute('points', points((s) => s.memory));
  }

  clear(): void {
    this.samples.length = 0;
    this.cpu.setAttribute('points', '');
    this.memory.setAttribute('points', '');
  }

  private line(kind: string): SVGPolylineElement {
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('class', kind);
    line.setAttribute('vector-effect', 'non-scaling-stroke');
    this.element.appendChild(line);
    return line;
  }
}

function clamp(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
}
