import { createElement } from 'lwc';
import PmsExportButtons from 'c/pmsExportButtons';
import getExportAvailability from '@salesforce/apex/PmsEngineController.getExportAvailability';
import exportFile from '@salesforce/apex/PmsEngineController.exportFile';

jest.mock('@salesforce/apex/PmsEngineController.getExportAvailability', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.exportFile', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));
function mount() {
  const el = createElement('c-pms-export-buttons', { is: PmsExportButtons });
  el.pdfQuery = 'report=client&clientId=71';
  el.xlsxQuery = 'view=transactions&clientId=71';
  document.body.appendChild(el);
  return el;
}

describe('c-pms-export-buttons', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('is disabled with a tooltip when the engine has no export routes', async () => {
    getExportAvailability.mockResolvedValue({ pdf: false, xlsx: false });
    const el = mount();
    await flush();
    const pdf = el.shadowRoot.querySelector('button.export-pdf');
    expect(pdf.disabled).toBe(true);
    expect(pdf.title).toBe('Exports are not available on this engine yet');
  });

  it('downloads the file the engine returns', async () => {
    getExportAvailability.mockResolvedValue({ pdf: true, xlsx: true });
    exportFile.mockResolvedValue({ fileName: 'client-71.pdf', contentType: 'application/pdf', base64Body: 'JVBERi0=' });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const el = mount();
    await flush();
    el.shadowRoot.querySelector('button.export-pdf').click();
    await flush();
    expect(exportFile).toHaveBeenCalledWith({ format: 'pdf', query: 'report=client&clientId=71' });
    expect(click).toHaveBeenCalled();
    el.shadowRoot.querySelector('button.export-xlsx').click();
    await flush();
    expect(exportFile).toHaveBeenLastCalledWith({ format: 'xlsx', query: 'view=transactions&clientId=71' });
    click.mockRestore();
  });

  it('disables a format that has no query on this page', async () => {
    getExportAvailability.mockResolvedValue({ pdf: true, xlsx: true });
    const el = mount();
    el.xlsxQuery = '';
    await flush();
    expect(el.shadowRoot.querySelector('button.export-pdf').disabled).toBe(false);
    expect(el.shadowRoot.querySelector('button.export-xlsx').disabled).toBe(true);
  });

  it('shows the error panel when an export fails, and is accessible', async () => {
    getExportAvailability.mockResolvedValue({ pdf: true, xlsx: true });
    exportFile.mockRejectedValue({ body: { message: '[500] Something went wrong' } });
    const el = mount();
    await flush();
    el.shadowRoot.querySelector('button.export-xlsx').click();
    await flush();
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
    await expect(el).toBeAccessible();
  });
});
