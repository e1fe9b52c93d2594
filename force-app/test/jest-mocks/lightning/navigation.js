/* Jest mock of lightning/navigation (lwc-recipes pattern): records Navigate calls; CurrentPageReference is a test wire adapter. */
import { createTestWireAdapter } from '@salesforce/wire-service-jest-util';

export const CurrentPageReference = createTestWireAdapter(jest.fn());

let lastPageReference;
let lastReplace;
const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

export const NavigationMixin = (Base) =>
  class extends Base {
    [Navigate](pageReference, replace) {
      lastPageReference = pageReference;
      lastReplace = replace;
    }
    [GenerateUrl](pageReference) {
      lastPageReference = pageReference;
      return Promise.resolve('/generated');
    }
  };
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export const getNavigateCalledWith = () => ({ ...lastPageReference, replace: lastReplace });
export const resetNavigate = () => {
  lastPageReference = undefined;
  lastReplace = undefined;
};
