import { useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql';

const WallboardClockSubscription = graphql(`
  subscription WallboardClock {
    serverClock(intervalSeconds: 1)
  }
`);

export interface ServerClock {
  /** Server time minus this device's time: TVs' clocks drift, and countdowns must agree with the server. */
  offsetMs: number;
  /** The last time value the server pushed (ISO-8601), or null before the first one. */
  lastServerTime: string | null;
  error: Error | undefined;
}

export function useServerClock(): ServerClock {
  const [{ data, error }] = useSubscription({ query: WallboardClockSubscription });
  const [offsetMs, setOffsetMs] = useState(0);
  const serverTime = data?.serverClock ?? null;

  useEffect(() => {
    if (!serverTime) return;
    const at = Date.parse(serverTime);
    if (!Number.isNaN(at)) setOffsetMs(at - Date.now());
  }, [serverTime]);

  return { offsetMs, lastServerTime: serverTime, error };
}
