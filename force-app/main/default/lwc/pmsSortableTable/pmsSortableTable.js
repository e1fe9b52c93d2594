import { LightningElement, api } from 'lwc';
import { formatCount, formatDate, formatInr, formatInrUnit, formatNumber, formatPercent, getAmountUnit, onAmountUnitChange } from 'c/pmsFormat';

/**
 * An SLDS table with sortable headers (buttons, aria-sort) and optional row drill-down.
 * columns: [{ label, fieldName, type: text|amount|amountFull|percent|number|count|date, sortable }]
 * Sorting is done here unless `serverSort`, then only `sort` fires ({ sortedBy, sortDirection }).
 */
export default class PmsSortableTable extends LightningElement {
  @api columns = [];
  @api keyField = 'id';
  @api caption = '';
  @api serverSort = false;
  /** Label of the drill-down button in each row; none when empty. */
  @api rowActionLabel = '';
  _sortedBy;
  _sortedDirection = 'asc';
  _rows = [];
  unit = getAmountUnit();

  @api
  get sortedBy() {
    return this._sortedBy;
  }
  set sortedBy(value) {
    this._sortedBy = value;
  }

  @api
  get sortedDirection() {
    return this._sortedDirection;
  }
  set sortedDirection(value) {
    this._sortedDirection = value === 'desc' ? 'desc' : 'asc';
  }

  @api
  get rows() {
    return this._rows;
  }
  set rows(value) {
    this._rows = Array.isArray(value) ? value : [];
  }

  connectedCallback() {
    this.unsubscribe = onAmountUnitChange((u) => {
      this.unit = u;
    });
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
  }

  format(value, type) {
    switch (type) {
      case 'amount':
        return formatInrUnit(value, this.unit);
      case 'amountFull':
        return formatInr(value, 2);
      case 'percent':
        return formatPercent(value);
      case 'number':
        return formatNumber(value);
      case 'count':
        return formatCount(value);
      case 'date':
        return formatDate(value);
      default:
        return value === null || value === undefined || value === '' ? '—' : String(value);
    }
  }

  static read(row, fieldName) {
    return fieldName.split('.').reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), row);
  }

  get sortedRows() {
    const rows = [...this._rows];
    if (this.serverSort || !this.sortedBy) return rows;
    const col = this.columns.find((c) => c.fieldName === this.sortedBy);
    const numeric = col && col.type && col.type !== 'text' && col.type !== 'date';
    const dir = this.sortedDirection === 'desc' ? -1 : 1;
    return rows.sort((a, b) => {
      const x = PmsSortableTable.read(a, this.sortedBy);
      const y = PmsSortableTable.read(b, this.sortedBy);
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      // Display ordering only: decimal strings compared as numbers is fine for sorting.
      if (numeric) return (Number(x) - Number(y)) * dir;
      return String(x).localeCompare(String(y)) * dir;
    });
  }

  get headers() {
    return this.columns.map((c) => {
      const sorted = this.sortedBy === c.fieldName;
      const numeric = c.type && c.type !== 'text' && c.type !== 'date';
      return {
        ...c,
        key: c.fieldName,
        sorted,
        ariaSort: sorted ? (this.sortedDirection === 'desc' ? 'descending' : 'ascending') : 'none',
        arrow: sorted ? (this.sortedDirection === 'desc' ? '▼' : '▲') : '',
        className: `slds-is-sortable${sorted ? ' slds-is-sorted' : ''}${numeric ? ' num' : ''}`,
        title: `Sort by ${c.label}`,
      };
    });
  }

  get tableRows() {
    return this.sortedRows.map((row) => ({
      key: String(PmsSortableTable.read(row, this.keyField)),
      id: PmsSortableTable.read(row, this.keyField),
      cells: this.columns.map((c, i) => {
        const value = PmsSortableTable.read(row, c.fieldName);
        const numeric = c.type && c.type !== 'text' && c.type !== 'date';
        return {
          key: `${c.fieldName}-${i}`,
          text: this.format(value, c.type),
          className: `${numeric ? 'num' : ''}${c.type === 'percent' && Number(value) < 0 ? ' slds-text-color_error' : ''}`,
          first: i === 0,
        };
      }),
    }));
  }

  get hasRows() {
    return this._rows.length > 0;
  }

  get noRows() {
    return this._rows.length === 0;
  }

  get hasRowAction() {
    return !!this.rowActionLabel;
  }

  handleSort(event) {
    const field = event.currentTarget.dataset.field;
    const direction = this._sortedBy === field && this._sortedDirection === 'asc' ? 'desc' : 'asc';
    this._sortedBy = field;
    this._sortedDirection = direction;
    this.dispatchEvent(new CustomEvent('sort', { detail: { sortedBy: field, sortDirection: direction } }));
  }

  handleRowAction(event) {
    const id = event.currentTarget.dataset.id;
    const row = this._rows.find((r) => String(PmsSortableTable.read(r, this.keyField)) === id);
    this.dispatchEvent(new CustomEvent('rowselect', { detail: { id, row } }));
  }
}
