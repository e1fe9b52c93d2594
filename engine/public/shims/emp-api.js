// Stand-alone stand-in for lightning/empApi: the engine's Server-Sent Events stream (GET /api/events, session
// cookie) replaces the Platform Event bus. Only /event/PMS_Data_Refresh__e is delivered; each message has the
// shape empApi gives inside Salesforce: { channel, data: { payload: { Kind__c, Run_Id__c, As_Of__c, Scope__c }, event: { replayId } } }.
const CHANNEL = '/event/PMS_Data_Refresh__e';
const subscriptions = new Map();
const errorHandlers = [];
let source = null;
let nextId = 1;

function open() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/events', { withCredentials: true });
  source.addEventListener('refresh', (e) => {
    let event;
    try {
      event = JSON.parse(e.data);
    } catch {
      return;
    }
    const message = {
      channel: CHANNEL,
      data: {
        payload: { Kind__c: event.kind, Run_Id__c: event.runId, As_Of__c: event.asOf, Scope__c: event.scope },
        event: { replayId: Number(e.lastEventId) || 0 },
      },
    };
    for (const s of subscriptions.values()) if (s.channel === CHANNEL) s.callback(message);
  });
  // EventSource reconnects by itself; tell onError listeners, as empApi does.
  source.onerror = () => errorHandlers.forEach((h) => h({ channel: CHANNEL, error: 'event stream interrupted; reconnecting' }));
}

export function subscribe(channel, replayId, callback) {
  const id = nextId++;
  subscriptions.set(id, { channel, callback });
  if (channel === CHANNEL) open();
  return Promise.resolve({ id, channel, replayId });
}

export function unsubscribe(subscription, callback) {
  if (subscription) subscriptions.delete(subscription.id);
  if (source && ![...subscriptions.values()].some((s) => s.channel === CHANNEL)) {
    source.close();
    source = null;
  }
  if (callback) callback({ successful: true });
  return Promise.resolve(true);
}

export function onError(callback) {
  errorHandlers.push(callback);
  return Promise.resolve();
}

export function isEmpEnabled() {
  return Promise.resolve(typeof EventSource !== 'undefined');
}

export function setDebugFlag() {
  return Promise.resolve(true);
}
