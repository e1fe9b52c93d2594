import { createElement } from 'lwc';
import PmsClientSearch from 'c/pmsClientSearch';
import getClients from '@salesforce/apex/PmsEngineController.getClients';
import { getNavigateCalledWith } from 'lightning/navigation';

jest.mock('@salesforce/apex/PmsEngineController.getClients', () => ({ default: jest.fn() }), { virtual: true });

const flush = () => new Promise((r) => setTimeout(r, 0));
const PAGE = { items: [{ id: 71, clientCode: 'C000071', name: 'Rohit Deshpande', rm: { code: 'RM006' }, aum: '1500643418.98', salesforceAccountId: null }], total: 1 };

function mount() {
  const el = createElement('c-pms-client-search', { is: PmsClientSearch });
  document.body.appendChild(el);
  return el;
}

describe('c-pms-client-search', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    jest.clearAllMocks();
  });

  async function type(el, text) {
    const input = el.shadowRoot.querySelector('input');
    input.value = text;
    input.dispatchEvent(new CustomEvent('input'));
    jest.advanceTimersByTime(300);
    await Promise.resolve();
    await Promise.resolve();
    return input;
  }

  it('searches after a pause and opens the client with Enter', async () => {
    getClients.mockResolvedValue(PAGE);
    const el = mount();
    const input = await type(el, 'Rohit');
    expect(getClients).toHaveBeenCalledWith({ query: 'order=desc&pageSize=8&q=Rohit&sort=aum' });
    await Promise.resolve();
    expect(el.shadowRoot.querySelectorAll('[role="option"]').length).toBe(1);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(getNavigateCalledWith().state).toEqual({ c__clientId: '71' });
  });

  it('shows the error panel when the search fails, and is accessible', async () => {
    getClients.mockRejectedValue({ body: { message: '[400] The request is invalid.' } });
    const el = mount();
    await type(el, 'Ro');
    await Promise.resolve();
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
    jest.useRealTimers();
    await expect(el).toBeAccessible();
  });
});
