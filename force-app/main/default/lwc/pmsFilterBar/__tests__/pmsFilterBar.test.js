import { createElement } from 'lwc';
import PmsFilterBar from 'c/pmsFilterBar';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('c-pms-filter-bar', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  function set(el, selector, value) {
    const input = el.shadowRoot.querySelector(selector);
    input.value = value;
    input.dispatchEvent(new CustomEvent('change'));
  }

  it('turns lakhs into rupees and percent into fractions for the API', async () => {
    const el = createElement('c-pms-filter-bar', { is: PmsFilterBar });
    el.showReturn = true;
    document.body.appendChild(el);
    const handler = jest.fn();
    el.addEventListener('filterchange', handler);
    set(el, 'input[data-name="aumMin"]', '50');
    set(el, 'input[data-name="rm"]', 'rm006');
    set(el, 'input[data-name="returnMin"]', '12');
    el.shadowRoot.querySelector('lightning-combobox.f-category').dispatchEvent(new CustomEvent('change', { detail: { value: 'Equity' } }));
    await flush();
    el.shadowRoot.querySelector('button.apply').click();
    expect(handler.mock.calls[0][0].detail.filters).toEqual({ aumMin: '5000000', rm: 'RM006', returnMin: '0.12', period: '1Y', sebiCategory: 'Equity' });
  });

  it('shows filters it is given (saved view) in the input units', async () => {
    const el = createElement('c-pms-filter-bar', { is: PmsFilterBar });
    el.filters = { aumMin: '5000000', rm: 'RM005' };
    document.body.appendChild(el);
    await flush();
    expect(el.shadowRoot.querySelector('input[data-name="aumMin"]').value).toBe('50');
    expect(el.shadowRoot.querySelector('input[data-name="rm"]').value).toBe('RM005');
  });

  it('disables Apply for an invalid RM code, and is accessible', async () => {
    const el = createElement('c-pms-filter-bar', { is: PmsFilterBar });
    document.body.appendChild(el);
    set(el, 'input[data-name="rm"]', "RM'; drop");
    await flush();
    expect(el.shadowRoot.querySelector('button.apply').disabled).toBe(true);
    await expect(el).toBeAccessible();
  });
});
