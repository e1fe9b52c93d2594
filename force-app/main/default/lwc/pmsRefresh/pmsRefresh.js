import { subscribe, unsubscribe, onError } from 'lightning/empApi';

/** The Platform Event the engine publishes after an import, a Salesforce sync or an analytics run. */
export const REFRESH_CHANNEL = '/event/PMS_Data_Refresh__e';
/** A burst of events (an import, then the analytics run it triggers) becomes one refetch. */
export const REFRESH_DEBOUNCE_MS = 1000;

let errorHandlerSet = false;

/**
 * Calls `onRefresh(payload)` once per burst of PMS_Data_Refresh__e events (debounced), where payload is the
 * event's fields ({ Kind__c, Run_Id__c, As_Of__c, Scope__c }). Inside Salesforce the events arrive through
 * lightning/empApi; stand-alone the empApi adapter listens to the engine's GET /api/events.
 * Returns stop(): call it from disconnectedCallback (unsubscribes and cancels a pending refresh).
 * Without streaming (empApi unavailable) nothing happens: components still load fresh data on open.
 */
export function subscribeToRefresh(onRefresh, { debounceMs = REFRESH_DEBOUNCE_MS } = {}) {
  let stopped = false;
  let timer = null;
  let subscription = null;
  let payload;

  const fire = () => {
    timer = null;
    if (!stopped) onRefresh(payload);
  };
  const onMessage = (message) => {
    if (stopped) return;
    payload = (message && message.data && message.data.payload) || {};
    if (timer) clearTimeout(timer);
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    timer = setTimeout(fire, debounceMs);
  };

  if (!errorHandlerSet) {
    errorHandlerSet = true;
    // Streaming errors (session expiry, network) are not the user's business: the next load is fresh anyway.
    Promise.resolve(onError(() => {})).catch(() => {});
  }
  Promise.resolve(subscribe(REFRESH_CHANNEL, -1, onMessage))
    .then((sub) => {
      if (stopped) Promise.resolve(unsubscribe(sub, () => {})).catch(() => {});
      else subscription = sub;
    })
    .catch(() => {});

  return function stop() {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (subscription) {
      const sub = subscription;
      subscription = null;
      Promise.resolve(unsubscribe(sub, () => {})).catch(() => {});
    }
  };
}

/** Refreshes the given wired results (refreshApex keeps the old data on screen until the new arrives). */
export function refreshWired(refreshApex, results) {
  return Promise.all(results.filter((r) => r && (r.data !== undefined || r.error !== undefined)).map((r) => refreshApex(r)));
}
