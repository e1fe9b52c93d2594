import { LightningElement, api } from 'lwc';
import listViews from '@salesforce/apex/PmsEngineController.listViews';
import getView from '@salesforce/apex/PmsEngineController.getView';
import saveView from '@salesforce/apex/PmsEngineController.saveView';
import deleteView from '@salesforce/apex/PmsEngineController.deleteView';

/**
 * Saved views (POST /api/views/save, GET /api/views, GET/DELETE /api/views/{id}): save the current
 * filters and sort privately or shared with the team, load one (fires `viewload` with
 * { filters, sort, view }), delete one's own. A shared view is re-run under the reader's own scope.
 */
export default class PmsSavedViews extends LightningElement {
  @api page = 'clients';
  @api filters = {};
  @api sort;
  @api columns = [];
  views = [];
  selectedId = '';
  name = '';
  share = false;
  error;
  message = '';
  saving = false;

  connectedCallback() {
    this.refresh();
  }

  async refresh() {
    try {
      const r = await listViews();
      this.views = ((r && r.items) || []).filter((v) => v.page === this.page);
      this.error = undefined;
    } catch (e) {
      this.error = e;
    }
  }

  get viewOptions() {
    return this.views.map((v) => ({ key: String(v.id), value: String(v.id), label: `${v.name}${v.visibility === 'team' ? ' (shared)' : ''}`, selected: String(v.id) === this.selectedId }));
  }

  get hasViews() {
    return this.views.length > 0;
  }

  get nothingSelected() {
    return !this.selectedId;
  }

  get cannotSave() {
    return !this.name.trim() || this.saving;
  }

  handleSelect(event) {
    this.selectedId = event.target.value;
  }

  handleName(event) {
    this.name = event.target.value;
  }

  handleShare(event) {
    this.share = event.target.checked;
  }

  async handleLoad() {
    if (!this.selectedId) return;
    try {
      const view = await getView({ viewId: Number(this.selectedId) });
      this.error = undefined;
      this.message = `Loaded “${view.name}”`;
      this.dispatchEvent(new CustomEvent('viewload', { detail: { filters: view.filters || {}, sort: view.sort, view } }));
    } catch (e) {
      this.error = e;
    }
  }

  async handleSave() {
    if (this.cannotSave) return;
    this.saving = true;
    const body = { name: this.name.trim(), page: this.page, filters: { ...(this.filters || {}) }, visibility: this.share ? 'team' : 'private' };
    if (this.sort && this.sort.sort) body.sort = { sort: this.sort.sort, order: this.sort.order || 'asc' };
    if (this.columns && this.columns.length) body.columns = [...this.columns];
    try {
      const saved = await saveView({ viewJson: JSON.stringify(body) });
      this.message = `Saved “${saved.name}”${saved.visibility === 'team' ? ', shared with your team' : ''}`;
      this.name = '';
      this.error = undefined;
      await this.refresh();
      this.selectedId = String(saved.id);
    } catch (e) {
      this.error = e;
    } finally {
      this.saving = false;
    }
  }

  async handleDelete() {
    if (!this.selectedId) return;
    try {
      await deleteView({ viewId: Number(this.selectedId) });
      this.message = 'View deleted';
      this.selectedId = '';
      await this.refresh();
    } catch (e) {
      this.error = e;
    }
  }
}
