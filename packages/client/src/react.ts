// @academy/client/react: the provider and hooks of the SDK (React and React Native).
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { Provider } from 'urql';
import type { AcademyClient } from './client.js';
import type { Session } from './session.js';

export { useMutation, useQuery, useSubscription, type UseMutationResponse, type UseQueryArgs, type UseQueryResponse } from 'urql';

const AcademyContext = createContext<AcademyClient | null>(null);

export interface AcademyProviderProps {
  client: AcademyClient;
  children?: ReactNode;
}

/** Gives the tree the client, and urql's Provider of the current user's urql Client (for useQuery etc.). */
export function AcademyProvider({ client, children }: AcademyProviderProps) {
  const [urql, setUrql] = useState(() => client.urql);
  useEffect(() => {
    setUrql(client.urql);
    return client.onClientChange(setUrql);
  }, [client]);
  return createElement(AcademyContext.Provider, { value: client }, createElement(Provider, { value: urql }, children));
}

export function useAcademyClient(): AcademyClient {
  const client = useContext(AcademyContext);
  if (!client) throw new Error('useAcademyClient: render inside <AcademyProvider client={...}>');
  return client;
}

export interface UseSessionResult {
  session: Session | null;
  signIn(email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
}

/** The current session (re-rendering when it changes: sign-in, refresh, sign-out) and the calls that change it. */
export function useSession(): UseSessionResult {
  const client = useAcademyClient();
  const session = useSyncExternalStore(client.session.subscribe, client.session.get, client.session.get);
  const signIn = useCallback((email: string, password: string) => client.signIn(email, password), [client]);
  const signOut = useCallback(() => client.signOut(), [client]);
  return useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
}
