import { createElement } from 'lwc';
import PmsSortableTable from 'c/pmsSortableTable';

const flush = () => new Promise((r) => setTimeout(r, 0));
const COLUMNS = [
  { label: 'Name', fieldName: 'name', type: 'text', sortable: true },
  { label: 'AUM', fieldName: 'aum', type: 'amountFull', sortable: true },
];
const ROWS = [
  { id: 1, name: 'Beta', aum: '900.5' },
  { id: 2, name: 'Alpha', aum: '10000000' },
];

function mount(props = {}) {
  const el = createElement('c-pms-sortable-table', { is: PmsSortableTable });
  Object.assign(el, { columns: COLUMNS, rows: ROWS, keyField: 'id', caption: 'Test', rowActionLabel: 'Open' }, props);
  document.body.appendChild(el);
  return el;
}
const firstCells = (el) => [...el.shadowRoot.querySelectorAll('tbody tr')].map((tr) => tr.querySelector('td').textContent);

describe('c-pms-sortable-table', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('sorts by a header (numbers as numbers), toggles direction and marks aria-sort', async () => {
    const el = mount();
    const handler = jest.fn();
    el.addEventListener('sort', handler);
    el.shadowRoot.querySelector('button[data-field="aum"]').click();
    await flush();
    expect(firstCells(el)).toEqual(['Beta', 'Alpha']);
    expect(el.shadowRoot.querySelector('th[aria-sort="ascending"]')).not.toBeNull();
    el.shadowRoot.querySelector('button[data-field="aum"]').click();
    await flush();
    expect(firstCells(el)).toEqual(['Alpha', 'Beta']);
    expect(handler.mock.calls[1][0].detail).toEqual({ sortedBy: 'aum', sortDirection: 'desc' });
    expect(el.shadowRoot.querySelectorAll('tbody td')[1].textContent).toBe('₹1,00,00,000.00');
  });

  it('fires rowselect with the row', () => {
    const el = mount();
    const handler = jest.fn();
    el.addEventListener('rowselect', handler);
    el.shadowRoot.querySelector('button.row-action').click();
    expect(handler.mock.calls[0][0].detail.row).toEqual(ROWS[0]);
  });

  it('says so when empty, and is accessible', async () => {
    const el = mount({ rows: [] });
    expect(el.shadowRoot.textContent).toContain('Nothing to show.');
    await expect(mount()).toBeAccessible();
  });
});
