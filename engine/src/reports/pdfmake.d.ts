/** The slice of pdfmake 0.3 (a CommonJS singleton without bundled types) that the reports use. */
declare module 'pdfmake' {
  export type Content = string | Content[] | { [key: string]: unknown };
  export type DynamicContent = (currentPage: number, pageCount: number, pageSize: { width: number; height: number }) => Content | null | undefined;
  export interface TDocumentDefinitions {
    content: Content;
    pageSize?: string;
    pageOrientation?: 'portrait' | 'landscape';
    pageMargins?: [number, number, number, number];
    header?: DynamicContent | Content;
    footer?: DynamicContent | Content;
    background?: DynamicContent | Content;
    styles?: Record<string, Record<string, unknown>>;
    defaultStyle?: Record<string, unknown>;
    info?: Record<string, unknown>;
    images?: Record<string, string>;
    compress?: boolean;
    [key: string]: unknown;
  }
  export interface FontDescriptor {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }
  export interface OutputDocument {
    getBuffer(): Promise<Buffer>;
    getStream(): Promise<NodeJS.ReadableStream>;
  }
  interface PdfMake {
    setFonts(fonts: Record<string, FontDescriptor>): void;
    setUrlAccessPolicy(cb: (url: string) => boolean): void;
    setLocalAccessPolicy(cb: (path: string) => boolean): void;
    createPdf(doc: TDocumentDefinitions, options?: Record<string, unknown>): OutputDocument;
    virtualfs: { writeFileSync(name: string, data: Buffer | string): void; existsSync(name: string): boolean };
    setTableLayouts(layouts: Record<string, unknown>): void;
    addTableLayouts(layouts: Record<string, unknown>): void;
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
