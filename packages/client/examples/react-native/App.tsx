// The smallest React Native consumer of the SDK: type-checked in CI under the react-native
// condition with no DOM (packages/client/test/package.test.ts); no simulator needed.
import {
  createAcademyClient,
  describeError,
  MyCertificatesDocument,
  webStorageSessionStore,
  type SessionStorageLike,
} from '@academy/client';
import { AcademyProvider, useQuery, useSession } from '@academy/client/react';
import { Text, View } from 'react-native';

// The shape of AsyncStorage (@react-native-async-storage/async-storage); pass it as it is in an app.
const values = new Map<string, string>();
const asyncStorage: SessionStorageLike = {
  getItem: async (key) => values.get(key) ?? null,
  setItem: async (key, value) => {
    values.set(key, value);
  },
  removeItem: async (key) => {
    values.delete(key);
  },
};

const client = createAcademyClient({
  url: 'https://demo.academy.example/graphql',
  session: webStorageSessionStore(asyncStorage),
});

function Certificates() {
  const { session } = useSession();
  const [{ data, error, fetching }] = useQuery({ query: MyCertificatesDocument, pause: !session });
  if (!session) return <Text>Inicia sesión</Text>;
  if (fetching) return <Text>Cargando…</Text>;
  if (error) return <Text>{describeError(error).message}</Text>;
  return (
    <View>
      {data?.me?.certificates.map((certificate) => (
        <Text key={certificate.id}>
          {certificate.course.title}: {certificate.status}
        </Text>
      ))}
    </View>
  );
}

export default function App() {
  return (
    <AcademyProvider client={client}>
      <Certificates />
    </AcademyProvider>
  );
}
