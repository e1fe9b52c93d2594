import { LightningElement, api } from 'lwc';
import getExportAvailability from '@salesforce/apex/PmsEngineController.getExportAvailability';
import exportFile from '@salesforce/apex/PmsEngineController.exportFile';

const UNAVAILABLE = 'Exports are not available on this engine yet';

/**
 * PDF and Excel buttons for GET /api/export/pdf?<pdfQuery> and /api/export/xlsx?<xlsxQuery>: the two
 * routes take different parameters (a report vs a table view with the list's filters). The engine is
 * asked once whether the routes exist; a missing route, or no query for a format, disables its button.
 */
export default class PmsExportButtons extends LightningElement {
  @api report = 'executive';
  /** Query string of the PDF export (report=…, clientId, from, to). */
  @api pdfQuery = '';
  /** Query string of the Excel export (view=…, the list's filters and sort). */
  @api xlsxQuery = '';
  availability;
  busy = null;
  error;

  connectedCallback() {
    getExportAvailability()
      .then((a) => {
        this.availability = a || { pdf: false, xlsx: false };
      })
      .catch(() => {
        this.availability = { pdf: false, xlsx: false };
      });
  }

  get pdfDisabled() {
    return !this.pdfQuery || !this.availability || !this.availability.pdf || this.busy !== null;
  }
  get xlsxDisabled() {
    return !this.xlsxQuery || !this.availability || !this.availability.xlsx || this.busy !== null;
  }
  get pdfTitle() {
    return this.availability && !this.availability.pdf ? UNAVAILABLE : 'Download PDF';
  }
  get xlsxTitle() {
    return this.availability && !this.availability.xlsx ? UNAVAILABLE : 'Download Excel';
  }
  get pdfLabel() {
    return this.busy === 'pdf' ? 'Preparing…' : 'PDF';
  }
  get xlsxLabel() {
    return this.busy === 'xlsx' ? 'Preparing…' : 'Excel';
  }

  async handleExport(event) {
    const format = event.currentTarget.dataset.format;
    this.busy = format;
    this.error = undefined;
    try {
      const file = await exportFile({ format, query: format === 'pdf' ? this.pdfQuery : this.xlsxQuery });
      const a = document.createElement('a');
      a.href = `data:${file.contentType};base64,${file.base64Body}`;
      a.download = file.fileName;
      a.style.display = 'none';
      this.template.querySelector('.anchor-host').appendChild(a);
      a.click();
      a.remove();
    } catch (e) {
      this.error = e;
    } finally {
      this.busy = null;
    }
  }
}
