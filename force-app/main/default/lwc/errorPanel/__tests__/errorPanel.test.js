import { createElement } from 'lwc';
import ErrorPanel from 'c/errorPanel';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('c-error-panel', () => {
  afterEach(() => {
    while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  });

  it('shows the friendly message and the details on demand', async () => {
    const el = createElement('c-error-panel', { is: ErrorPanel });
    el.friendlyMessage = 'Could not load';
    el.errors = [{ body: { message: '[503] The engine is unavailable' } }];
    document.body.appendChild(el);
    expect(el.shadowRoot.querySelector('h2').textContent).toBe('Could not load');
    el.shadowRoot.querySelector('button').click();
    await flush();
    expect(el.shadowRoot.querySelector('li').textContent).toBe('[503] The engine is unavailable');
    await expect(el).toBeAccessible();
  });

  it('has no details button without messages', () => {
    const el = createElement('c-error-panel', { is: ErrorPanel });
    el.errors = [];
    document.body.appendChild(el);
    expect(el.shadowRoot.querySelector('button')).toBeNull();
  });
});
