import type { Me, Permission } from '@steward/contracts';
import { createContext, useContext } from 'react';

/** The signed-in identity, provided by the app shell to every page inside it. */
export const MeContext = createContext<Me | null>(null);

/** The signed-in identity; only valid inside the app shell. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe is only available inside the signed-in app shell');
  return me;
}

/** Whether the signed-in identity holds a permission, straight from `me.permissions`. */
export function useCan(permission: Permission): boolean {
  return useMe().permissions.includes(permission);
}
