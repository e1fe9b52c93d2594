import { createElement } from 'lwc';
import PmsSavedViews from 'c/pmsSavedViews';
import listViews from '@salesforce/apex/PmsEngineController.listViews';
import getView from '@salesforce/apex/PmsEngineController.getView';
import saveView from '@salesforce/apex/PmsEngineController.saveView';

jest.mock('@salesforce/apex/PmsEngineController.listViews', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.getView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.saveView', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/PmsEngineController.deleteView', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));
const VIEW = { id: 7, ownerUserId: 1, name: 'Equity book', page: 'clients', filters: { sebiCategory: 'Equity' }, sort: { sort: 'aum', order: 'desc' }, columns: [], visibility: 'team' };

function mount() {
  const el = createElement('c-pms-saved-views', { is: PmsSavedViews });
  el.filters = { sebiCategory: 'Equity' };
  el.sort = { sort: 'aum', order: 'desc' };
  document.body.appendChild(el);
  return el;
}

describe('c-pms-saved-views', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  it('saves the current filters as a shared view', async () => {
    listViews.mockResolvedValue({ items: [] });
    saveView.mockResolvedValue(VIEW);
    const el = mount();
    await flush();
    const name = el.shadowRoot.querySelector('input.view-name');
    name.value = 'Equity book';
    name.dispatchEvent(new CustomEvent('input'));
    el.shadowRoot.querySelector('input.share-box').click();
    await flush();
    el.shadowRoot.querySelector('button.save').click();
    await flush();
    expect(JSON.parse(saveView.mock.calls[0][0].viewJson)).toEqual({ name: 'Equity book', page: 'clients', filters: { sebiCategory: 'Equity' }, visibility: 'team', sort: { sort: 'aum', order: 'desc' } });
    expect(el.shadowRoot.querySelector('.message').textContent).toBe('Saved “Equity book”, shared with your team');
  });

  it('loads a view and fires viewload with its filters and sort', async () => {
    listViews.mockResolvedValue({ items: [VIEW] });
    getView.mockResolvedValue({ ...VIEW, result: null });
    const el = mount();
    await flush();
    const handler = jest.fn();
    el.addEventListener('viewload', handler);
    const select = el.shadowRoot.querySelector('select.view-select');
    select.value = '7';
    select.dispatchEvent(new CustomEvent('change'));
    await flush();
    el.shadowRoot.querySelector('button.load').click();
    await flush();
    expect(getView).toHaveBeenCalledWith({ viewId: 7 });
    expect(handler.mock.calls[0][0].detail.filters).toEqual({ sebiCategory: 'Equity' });
  });

  it('shows the error panel when views cannot be listed', async () => {
    listViews.mockRejectedValue({ body: { message: '[403] Saved views belong to users' } });
    const el = mount();
    await flush();
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
  });

  it('is accessible', async () => {
    listViews.mockResolvedValue({ items: [VIEW] });
    const el = mount();
    await flush();
    await expect(el).toBeAccessible();
  });
});
