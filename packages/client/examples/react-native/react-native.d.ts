// react-native is not installed in this repository: the two components the example renders.
declare module 'react-native' {
  import type { ComponentType, ReactNode } from 'react';

  export const Text: ComponentType<{ children?: ReactNode }>;
  export const View: ComponentType<{ children?: ReactNode }>;
}
