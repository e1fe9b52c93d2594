import { subscribe, unsubscribe } from 'lightning/empApi';
import { REFRESH_CHANNEL, refreshWired, subscribeToRefresh } from 'c/pmsRefresh';

// lightning/empApi is sfdx-lwc-jest's stub: subscribe/unsubscribe are jest.fn()s resolving to {}.
const flush = () => Promise.resolve().then(() => Promise.resolve());
const message = (payload) => ({ channel: REFRESH_CHANNEL, data: { payload, event: { replayId: 1 } } });

describe('c/pmsRefresh', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.clearAllMocks();
  });

  it('subscribes to /event/PMS_Data_Refresh__e for new events only (replay -1)', () => {
    subscribeToRefresh(jest.fn());
    expect(subscribe).toHaveBeenCalledWith('/event/PMS_Data_Refresh__e', -1, expect.any(Function));
  });

  it('turns a burst of events into one refresh, after the debounce, with the last payload', () => {
    const onRefresh = jest.fn();
    subscribeToRefresh(onRefresh, { debounceMs: 1000 });
    const deliver = subscribe.mock.calls[0][2];
    deliver(message({ Kind__c: 'import', Run_Id__c: '41' }));
    jest.advanceTimersByTime(600);
    deliver(message({ Kind__c: 'analytics', Run_Id__c: '7' }));
    jest.advanceTimersByTime(999);
    expect(onRefresh).not.toHaveBeenCalled(); // 600 + 999 ms, but only 999 since the last event
    jest.advanceTimersByTime(1);
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(onRefresh).toHaveBeenCalledWith({ Kind__c: 'analytics', Run_Id__c: '7' });
  });

  it('stop() unsubscribes and cancels a pending refresh', async () => {
    const sub = { id: 3, channel: REFRESH_CHANNEL };
    subscribe.mockResolvedValueOnce(sub);
    const onRefresh = jest.fn();
    const stop = subscribeToRefresh(onRefresh, { debounceMs: 1000 });
    await flush();
    const deliver = subscribe.mock.calls[0][2];
    deliver(message({ Kind__c: 'sync' }));
    stop();
    jest.advanceTimersByTime(5000);
    deliver(message({ Kind__c: 'sync' }));
    jest.advanceTimersByTime(5000);
    expect(onRefresh).not.toHaveBeenCalled();
    expect(unsubscribe).toHaveBeenCalledWith(sub, expect.any(Function));
  });

  it('stop() before the subscription resolves still unsubscribes once it does', async () => {
    const sub = { id: 4 };
    subscribe.mockResolvedValueOnce(sub);
    const stop = subscribeToRefresh(jest.fn());
    stop();
    await flush();
    expect(unsubscribe).toHaveBeenCalledWith(sub, expect.any(Function));
  });

  it('refreshWired refreshes only results a wire has delivered', async () => {
    const refreshApex = jest.fn().mockResolvedValue(undefined);
    const a = { data: { x: 1 }, error: undefined };
    const b = { data: undefined, error: { status: 500 } };
    await refreshWired(refreshApex, [a, undefined, { data: undefined, error: undefined }, b]);
    expect(refreshApex.mock.calls).toEqual([[a], [b]]);
  });
});
