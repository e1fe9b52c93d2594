import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/** The one place errors are shown (lwc-recipes errorPanel): a friendly line, details on demand. */
export default class ErrorPanel extends LightningElement {
  @api friendlyMessage = 'Error retrieving data';
  @api errors;
  viewDetails = false;

  get errorMessages() {
    return reduceErrors(this.errors);
  }

  get hasDetails() {
    return this.errorMessages.length > 0;
  }

  handleShowDetailsClick() {
    this.viewDetails = !this.viewDetails;
  }

  get detailsLabel() {
    return this.viewDetails ? 'Hide details' : 'Show details';
  }
}
