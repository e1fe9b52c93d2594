// Stand-alone stand-in for lightning/navigation: page references become hash routes of the shell.
//   standard__namedPage {pageName:'home'}         → #/home
//   standard__navItemPage {apiName:'PMS_Clients'} → #/clients?<state without c__>
//   standard__navItemPage {apiName:'PMS_Compliance'} → #/compliance
//   standard__recordPage + state.c__clientId      → #/client/<id>
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

const TABS = { PMS_Clients: 'clients', PMS_Compliance: 'compliance', PMS_Home: 'home' };

function stateQuery(state = {}) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== undefined && v !== null && v !== '') p.set(k.replace(/^c__/, ''), v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The hash URL of a page reference. */
export function pageRefToUrl(ref) {
  const a = ref?.attributes || {};
  const state = ref?.state || {};
  switch (ref?.type) {
    case 'standard__recordPage': {
      const { c__clientId, ...rest } = state;
      return `#/client/${encodeURIComponent(c__clientId || a.recordId)}${stateQuery(rest)}`;
    }
    case 'standard__navItemPage':
      return `#/${TABS[a.apiName] || 'home'}${stateQuery(state)}`;
    default:
      return `#/home${stateQuery(state)}`;
  }
}

/** The page reference of the current hash (what CurrentPageReference emits). */
export function currentPageReference() {
  const [route, query = ''] = (location.hash.replace(/^#\/?/, '') || 'home').split('?');
  const [page, id] = route.split('/');
  const state = {};
  for (const [k, v] of new URLSearchParams(query)) state[`c__${k}`] = v;
  if (page === 'client') return { type: 'standard__recordPage', attributes: { recordId: id, objectApiName: 'Account', actionName: 'view' }, state: { ...state, c__clientId: id } };
  const apiName = Object.keys(TABS).find((k) => TABS[k] === page) || 'PMS_Home';
  return { type: 'standard__navItemPage', attributes: { apiName }, state };
}

export function NavigationMixin(Base) {
  return class extends Base {
    [Navigate](pageRef, replace) {
      const url = pageRefToUrl(pageRef);
      if (replace) location.replace(url);
      else location.hash = url.slice(1);
    }
    [GenerateUrl](pageRef) {
      return Promise.resolve(pageRefToUrl(pageRef));
    }
  };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

/** Wire adapter emitting the current page reference, again on every hash change. */
export class CurrentPageReference {
  constructor(callback) {
    this.callback = callback;
    this.onChange = () => this.callback(currentPageReference());
  }
  connect() {
    window.addEventListener('hashchange', this.onChange);
    this.onChange();
  }
  disconnect() {
    window.removeEventListener('hashchange', this.onChange);
  }
  update() {}
}
