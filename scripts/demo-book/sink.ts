/** Buffered, back-pressure-aware file writer for large CSVs. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class CsvSink {
  private readonly ws: WriteStream;
  private parts: string[] = [];
  private size = 0;
  rows = 0;
  constructor(readonly path: string, header: string, opts: { bom?: boolean } = {}) {
    this.ws = createWriteStream(path, { encoding: 'utf8' });
    this.parts.push((opts.bom ? '\uFEFF' : '') + header);
  }
  /** a data row (already terminated) */
  row(line: string): void {
    this.parts.push(line);
    this.size += line.length;
    this.rows++;
  }
  /** call at safe points; writes when the buffer is large enough, honouring back-pressure */
  async maybeFlush(): Promise<void> {
    if (this.size >= 1 << 20) await this.flush();
  }
  private async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.ws.write(chunk)) await once(this.ws, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.ws.end();
    await once(this.ws, 'finish');
  }
}
