import { createElement } from 'lwc';
import PmsChart from 'c/pmsChart';
import { loadScript } from 'lightning/platformResourceLoader';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('c-pms-chart', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
    delete window.Chart;
  });

  it('loads Chart.js once from the static resource and draws plain copies of the data', async () => {
    const made = [];
    window.Chart = jest.fn().mockImplementation((ctx, config) => {
      made.push(config);
      return { destroy: jest.fn() };
    });
    HTMLCanvasElement.prototype.getContext = jest.fn(() => ({}));
    const el = createElement('c-pms-chart', { is: PmsChart });
    Object.assign(el, { type: 'doughnut', heading: 'Risk', drillable: true, labels: ['Aggressive', 'Moderate'], series: [{ label: 'Clients', data: [89, 138] }] });
    document.body.appendChild(el);
    await flush();
    expect(loadScript).toHaveBeenCalledTimes(1);
    expect(made[0].data.labels).toEqual(['Aggressive', 'Moderate']);
    expect(el.shadowRoot.querySelector('figure').dataset.drawn).toBe('true');
    const handler = jest.fn();
    el.addEventListener('segmentselect', handler);
    el.shadowRoot.querySelectorAll('button.segment')[1].click();
    expect(handler.mock.calls[0][0].detail).toEqual({ label: 'Moderate', index: 1 });
    await expect(el).toBeAccessible();
  });

  it('says there is no data, and shows the error panel when the library fails to load', async () => {
    loadScript.mockRejectedValueOnce(new Error('blocked'));
    const el = createElement('c-pms-chart', { is: PmsChart });
    Object.assign(el, { labels: [], series: [] });
    document.body.appendChild(el);
    await flush();
    expect(el.shadowRoot.textContent).toContain('No data for this selection');
    expect(el.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
  });
});
