import { createElement } from 'lwc';
import PmsKpiTile from 'c/pmsKpiTile';

describe('c-pms-kpi-tile', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the final value at once when the user prefers reduced motion', async () => {
    window.matchMedia = jest.fn().mockReturnValue({ matches: true });
    const el = createElement('c-pms-kpi-tile', { is: PmsKpiTile });
    Object.assign(el, { label: 'Total AUM', value: '₹2,151.09 Cr', formatter: (n) => `₹${n.toFixed(2)} Cr`, target: 2151.09, caption: 'as of 10-Dec-2025' });
    document.body.appendChild(el);
    await Promise.resolve();
    expect(el.shadowRoot.querySelector('[aria-hidden="true"]').textContent).toBe('₹2,151.09 Cr');
    expect(el.shadowRoot.querySelector('.slds-assistive-text').textContent).toBe('₹2,151.09 Cr');
    await expect(el).toBeAccessible();
  });

  it('counts up from zero otherwise, ending on the exact text', async () => {
    window.matchMedia = jest.fn().mockReturnValue({ matches: false });
    let now = 0;
    const frames = [];
    window.requestAnimationFrame = (fn) => frames.push(fn);
    jest.spyOn(performance, 'now').mockImplementation(() => now);
    const el = createElement('c-pms-kpi-tile', { is: PmsKpiTile });
    Object.assign(el, { label: 'Clients', value: '520', formatter: (n) => String(Math.round(n)), target: 520 });
    document.body.appendChild(el);
    now = 300;
    frames.shift()(now);
    await Promise.resolve();
    const shown = Number(el.shadowRoot.querySelector('[aria-hidden="true"]').textContent);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(520);
    now = 700;
    frames.shift()(now);
    await Promise.resolve();
    expect(el.shadowRoot.querySelector('[aria-hidden="true"]').textContent).toBe('520');
  });
});
