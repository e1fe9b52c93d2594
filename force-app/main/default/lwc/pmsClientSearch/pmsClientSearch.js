import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import getClients from '@salesforce/apex/PmsEngineController.getClients';
import { formatInrUnit, getAmountUnit, toQuery } from 'c/pmsFormat';

const DEBOUNCE_MS = 250;

/**
 * Client search (ARIA combobox): name, client code or full PAN through GET /api/clients?q=…
 * under the caller's scope. Arrow keys move, Enter opens the client, Escape closes.
 */
export default class PmsClientSearch extends NavigationMixin(LightningElement) {
  @api placeholder = 'Search clients by name, code or PAN';
  term = '';
  results = [];
  activeIndex = -1;
  open = false;
  error;
  timer;
  seq = 0;

  get options() {
    return this.results.map((c, i) => ({
      ...c,
      key: String(c.id),
      optionId: `client-option-${c.id}`,
      className: `slds-media slds-listbox__option slds-listbox__option_entity${i === this.activeIndex ? ' slds-has-focus' : ''}`,
      selected: i === this.activeIndex ? 'true' : 'false',
      meta: `${c.clientCode} · ${c.rm ? c.rm.code : '—'} · ${formatInrUnit(c.aum, getAmountUnit())}`,
      index: i,
    }));
  }

  get activeDescendant() {
    return this.activeIndex >= 0 && this.results[this.activeIndex] ? `client-option-${this.results[this.activeIndex].id}` : undefined;
  }

  get expanded() {
    return String(this.open);
  }

  get comboboxClass() {
    return `slds-combobox slds-dropdown-trigger slds-dropdown-trigger_click${this.open ? ' slds-is-open' : ''}`;
  }

  get noResults() {
    return this.open && this.results.length === 0 && !this.error;
  }

  handleInput(event) {
    this.term = event.target.value;
    clearTimeout(this.timer);
    const term = this.term.trim();
    if (term.length < 2) {
      this.results = [];
      this.open = false;
      return;
    }
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    this.timer = setTimeout(() => this.search(term), DEBOUNCE_MS);
  }

  async search(term) {
    const seq = ++this.seq;
    try {
      const page = await getClients({ query: toQuery({ q: term.replace(/[^\p{L}\p{N} .&,-]/gu, ''), pageSize: 8, sort: 'aum', order: 'desc' }) });
      if (seq !== this.seq) return;
      this.results = (page && page.items) || [];
      this.error = undefined;
    } catch (e) {
      if (seq !== this.seq) return;
      this.results = [];
      this.error = e;
    }
    this.activeIndex = this.results.length ? 0 : -1;
    this.open = true;
  }

  handleKeyDown(event) {
    if (event.key === 'ArrowDown' && this.results.length) {
      event.preventDefault();
      this.activeIndex = (this.activeIndex + 1) % this.results.length;
    } else if (event.key === 'ArrowUp' && this.results.length) {
      event.preventDefault();
      this.activeIndex = (this.activeIndex - 1 + this.results.length) % this.results.length;
    } else if (event.key === 'Enter' && this.activeIndex >= 0) {
      event.preventDefault();
      this.openClient(this.results[this.activeIndex]);
    } else if (event.key === 'Escape') {
      this.open = false;
    }
  }

  handleOptionClick(event) {
    this.openClient(this.results[Number(event.currentTarget.dataset.index)]);
  }

  handleBlur() {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    setTimeout(() => {
      this.open = false;
    }, 200);
  }

  openClient(client) {
    if (!client) return;
    this.open = false;
    this.dispatchEvent(new CustomEvent('clientselect', { detail: { client } }));
    this[NavigationMixin.Navigate]({
      type: 'standard__recordPage',
      attributes: { recordId: client.salesforceAccountId || String(client.id), objectApiName: 'Account', actionName: 'view' },
      state: { c__clientId: String(client.id) },
    });
  }
}
